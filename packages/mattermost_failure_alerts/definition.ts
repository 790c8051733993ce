// Mattermost Failure Alerts as the platform core sees it: identity, version 1.0.0 with its zod
// config schema, and the signal trigger that wakes its per-installation workflow.
import type { PackageDefinition } from '../../lib/packages/contract';
import { SIGNAL_TYPES } from '../../lib/signals/catalogue';
import { FAILURE_ALERT_WORKFLOW_TYPE, FAILURE_ALERTS_SLUG, FAILURES_ARRIVED_SIGNAL, failureAlertWorkflowId } from './alert-types';
import { ALERTABLE_SIGNAL_TYPES, FAILURE_ALERTS_CONFIG_1_0_0, storedAlertsConfig, wantsSignal } from './config';

export const failureAlertsDefinition: PackageDefinition = {
  identity: {
    slug: FAILURE_ALERTS_SLUG,
    name: 'Mattermost Failure Alerts',
    description:
      'Near-real-time alerts in a Mattermost channel when agent executions, workflow runs, installs or directives fail — grouped into one message per window, throttled per hour, quiet at night if you like.',
    category: 'operations',
    publisher: 'FleetPrompt',
  },
  versions: [
    {
      version: '1.0.0',
      changelog: ['First release: coalesced failure alerts with an hourly limit, quiet hours and filters by type and source.'],
      configSchema: FAILURE_ALERTS_CONFIG_1_0_0,
      provides: {
        workflow_templates: [
          { key: 'failure_alerts', name: 'Failure alerts', description: 'Groups failure signals into one alert per window and posts it to Mattermost.' },
        ],
        agent_templates: [],
      },
      consumes: [...ALERTABLE_SIGNAL_TYPES],
      emits: [SIGNAL_TYPES.alertRequested, SIGNAL_TYPES.alertDeferred, SIGNAL_TYPES.alertPosted, SIGNAL_TYPES.alertFailed],
      requiredIntegrations: [{ provider: 'mattermost', kinds: ['webhook', 'pat'], actions: ['post_message'], purpose: 'Posts each alert to a channel.' }],
    },
  ],
  mattermostChannel: (config) => (typeof config.channel === 'string' ? config.channel : null),
  signalTrigger: {
    types: ALERTABLE_SIGNAL_TYPES,
    workflowType: FAILURE_ALERT_WORKFLOW_TYPE,
    workflowId: failureAlertWorkflowId,
    signalName: FAILURES_ARRIVED_SIGNAL,
    wants: (config, signal) => {
      try {
        const c = storedAlertsConfig(config);
        return c.enabled && wantsSignal(c, signal);
      } catch {
        return false;
      }
    },
  },
  // Its installation page: packages/mattermost_failure_alerts/ui/section.js (status, connection, settings, recent alerts).
  uiSection: '/assets/packages/mattermost_failure_alerts/ui/section.js',
};
