// Posts the digest exactly once as far as Mattermost allows, through the platform's one
// claim → post → record implementation (lib/outbound/post-through-ledger.ts). The digest's own
// parts: what it posts (its text, channel, sender name and icon from the config) and the signals
// of a posted digest (mattermost.message.posted, value.digest.posted).
import type { ActivityDeps } from '../../../activities/deps';
import { digestDefinition } from '../definition';
import { postThroughLedger } from '../../../lib/outbound/post-through-ledger';
import { SIGNAL_TYPES } from '../../../lib/signals/catalogue';
import { emitSignals } from '../../../lib/signals/emit-signal';
import { storedDigestConfig } from '../config';
import type { DigestRunContext, GeneratedDigest, PostDigestResult } from './digest-run-types';

export function createPostDigest(deps: ActivityDeps) {
  return async function postDigest(input: { ctx: DigestRunContext; digest: GeneratedDigest; acceptUnknownOutcome?: boolean }): Promise<PostDigestResult> {
    const { ctx, digest } = input;
    return postThroughLedger(deps, {
      tenantId: ctx.tenantId,
      installationId: ctx.installationId,
      executionId: ctx.executionId,
      noun: 'digest',
      definition: digestDefinition,
      retryOffered: true,
      acceptUnknownOutcome: input.acceptUnknownOutcome,
      prepare: (installation) => {
        const config = storedDigestConfig(installation.config);
        return {
          text: digest.text,
          contentHash: digest.contentHash,
          channel: config.channel,
          username: config.post_as_username ?? undefined,
          iconUrl: config.post_icon_url ?? undefined,
          dedupeKey: ctx.dedupeKey,
          correlationId: ctx.correlationId,
        };
      },
      onPosted: async (tx, { attempts, how }) => {
        const common = {
          tenantId: ctx.tenantId,
          source: 'fleetprompt.digest',
          subject: `installation:${ctx.installationId}`,
          correlationId: ctx.correlationId,
          causationId: ctx.executionId,
        };
        await emitSignals(tx, [
          { ...common, type: SIGNAL_TYPES.messagePosted, dedupeKey: `${ctx.dedupeKey}:posted`, payload: { execution_id: ctx.executionId, attempts, how } },
          {
            ...common,
            type: SIGNAL_TYPES.valueDigestPosted,
            dedupeKey: `${ctx.dedupeKey}:value`,
            payload: { installation_id: ctx.installationId, posted_at: new Date().toISOString() },
          },
        ]);
      },
    });
  };
}
