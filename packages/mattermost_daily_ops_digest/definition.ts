// The Mattermost Daily Ops Digest as the platform core sees it: identity, versions (each with its
// zod config schema, changelog and the migration into it) and the hooks of the package contract.
import type { PackageDefinition, PackageVersionDefinition } from '../../lib/packages/contract';
import { SIGNAL_TYPES } from '../../lib/signals/catalogue';
import { DIGEST_CONFIG_1_0_0 } from './config-1.0.0';
import { DIGEST_CONFIG_1_1_0, migrateDigestConfig_1_0_0_to_1_1_0 } from './config-1.1.0';
import { digestSchedule } from './schedule/daily-schedule';

export const DIGEST_PACKAGE_SLUG = 'mattermost_daily_ops_digest';

const common: Omit<PackageVersionDefinition, 'version' | 'changelog' | 'configSchema' | 'migrations'> = {
  provides: {
    workflow_templates: [
      { key: 'daily_ops_digest', name: 'Daily ops digest', description: 'Collects the last 24 h of signals, formats a digest and posts it to Mattermost.' },
    ],
    agent_templates: [
      { key: 'digest_generator', name: 'Digest generator', description: 'Deterministic digest formatting; optional LLM summary (off by default).' },
    ],
  },
  consumes: ['package.*', 'directive.*', 'agent.execution.*', 'workflow.run.*'],
  emits: [SIGNAL_TYPES.digestRequested, SIGNAL_TYPES.digestGenerated, SIGNAL_TYPES.messagePosted, SIGNAL_TYPES.messageFailed, SIGNAL_TYPES.valueDigestPosted],
  requiredIntegrations: [{ provider: 'mattermost', kinds: ['webhook', 'pat'], actions: ['post_message'], purpose: 'Posts the daily digest to a channel.' }],
};

export const digestDefinition: PackageDefinition = {
  identity: {
    slug: DIGEST_PACKAGE_SLUG,
    name: 'Mattermost Daily Ops Digest',
    description:
      'A daily (and on-demand) digest of your FleetPrompt activity — installs, directives, executions, top errors and approximate cost — posted to a Mattermost channel.',
    category: 'operations',
    publisher: 'FleetPrompt',
  },
  versions: [
    {
      ...common,
      version: '1.0.0',
      changelog: ['First release: the daily digest, Run now, retries and the exactly-once posting ledger.'],
      configSchema: DIGEST_CONFIG_1_0_0,
    },
    {
      ...common,
      version: '1.1.0',
      changelog: ['An optional LLM summary at the top of the digest, with daily cost caps (off until you turn it on).'],
      configSchema: DIGEST_CONFIG_1_1_0,
      migrations: { '1.0.0': migrateDigestConfig_1_0_0_to_1_1_0 },
    },
  ],
  mattermostChannel: (config) => (typeof config.channel === 'string' ? config.channel : null),
  // Its installation page: packages/mattermost_daily_ops_digest/ui/section.js (checklist, health, connection, schedule and options, preview, Run now, runs).
  uiSection: '/assets/packages/mattermost_daily_ops_digest/ui/section.js',
  // The daily Temporal Schedule per installation, and which of its firings post.
  schedule: digestSchedule,
};
