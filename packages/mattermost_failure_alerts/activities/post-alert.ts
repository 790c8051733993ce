// Posts one alert window exactly once as far as Mattermost allows, by the digest's rules: the
// posting ledger row (dedupe key = the window) is claimed under a row lock before the request; a
// row already `posted` makes a retry a no-op; an unknowable outcome is never re-posted blindly —
// with a token we look for our own post by its marker, with a webhook we record `unknown`. The
// same failure classes (auth / rate_limit / network / validation / unknown) decide the retries.
import { createHash } from 'node:crypto';
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '../../../activities/deps';
import { toTarget, type TCredentialSecret } from '../../../lib/credentials/credential-secret';
import { loadCredentialSecret } from '../../../lib/credentials/load-credential';
import { revokeCredential } from '../../../lib/credentials/revoke-credential';
import type { Prisma } from '../../../lib/db/generated/client';
import { withTenant, type Tx } from '../../../lib/db/with-tenant';
import { isAppError } from '../../../lib/errors/app-error';
import { appendExecutionLog } from '../../../lib/executions/execution-log';
import { isMattermostError, type MattermostClient, type MattermostError, type PostRequest } from '../../../lib/mattermost';
import { claimOutboundMessage, markOutboundFailed, markOutboundPosted, markOutboundUnknown } from '../../../lib/outbound/ledger';
import { DEFAULT_STALE_CLAIM_MS, minimumStaleClaimMs, outcomeWriteWindowMs, POST_ATTEMPT_TIMEOUT_MS } from '../../../lib/temporal/contract/timeouts';
import type { PostAlertResult } from '../alert-types';
import { storedAlertsConfig } from '../config';
import { formatAlert } from '../format-alert';
import { waitingFailures } from './alert-window';

export const ALERT_MARKER_PROP = 'fleetprompt_dedupe';
const MARKER_LOOKBACK_MS = 6 * 3_600_000;

function attemptTimeoutMs(): number {
  try {
    const fromInfo = activityInfo().startToCloseTimeoutMs;
    return fromInfo > 0 ? fromInfo : POST_ATTEMPT_TIMEOUT_MS;
  } catch {
    return POST_ATTEMPT_TIMEOUT_MS;
  }
}

function marker(dedupeKey: string): string {
  return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
}

function destinationOf(secret: TCredentialSecret, channel: string | null): string {
  const c = channel ?? 'default';
  return secret.kind === 'webhook' ? `webhook:${secret.webhook_url.split('/hooks/')[0]}:${c}` : `pat:${secret.base_url}:${secret.team ?? ''}:${c}`;
}

function failure(err: MattermostError, retry: boolean): never {
  const kind = err.outcomeUnknown && !retry ? 'unknown' : err.kind;
  throw ApplicationFailure.create({
    message: err.message,
    type: kind,
    nonRetryable: !retry,
    nextRetryDelay: retry && err.retryAfterMs ? err.retryAfterMs : undefined,
    details: [{ code: err.code, status: err.status ?? null }],
  });
}

export function createPostFailureAlert(deps: ActivityDeps) {
  const requireClient = (): MattermostClient => {
    if (!deps.mattermost || !deps.keyring)
      throw ApplicationFailure.nonRetryable('This worker cannot post alerts (no Mattermost client or keyring configured).', 'validation');
    return deps.mattermost;
  };

  async function recordOutcome(tenantId: string, write: (tx: Tx) => Promise<void>, windowMs: number): Promise<void> {
    const deadline = Date.now() + windowMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await withTenant(deps.db, tenantId, write);
        return;
      } catch (err) {
        if (Date.now() + delay > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return async function postFailureAlert(input: { tenantId: string; installationId: string; executionId: string }): Promise<PostAlertResult> {
    const client = requireClient();
    const { tenantId } = input;
    const loaded = await withTenant(deps.db, tenantId, async (tx) => {
      const installation = await tx.installation.findUniqueOrThrow({ where: { id: input.installationId } });
      const execution = await tx.execution.findUniqueOrThrow({ where: { id: input.executionId } });
      if (!installation.credentialId) throw ApplicationFailure.nonRetryable('Mattermost is not connected for this installation.', 'validation');
      let secret: TCredentialSecret;
      try {
        secret = (await loadCredentialSecret(tx, deps.keyring!, installation.credentialId)).secret;
      } catch (err) {
        throw ApplicationFailure.nonRetryable(isAppError(err) ? err.message : 'The stored Mattermost credential cannot be read; reconnect Mattermost.', 'auth');
      }
      const config = storedAlertsConfig(installation.config);
      // The window's failures: fixed once the window is cut (signals are append-only), so every
      // attempt renders the same text.
      const failures = await waitingFailures(tx, config, execution.windowStart, execution.windowEnd);
      return { installation, execution, secret, config, failures };
    });
    const { installation, execution, secret, config, failures } = loaded;
    const dedupeKey = execution.dedupeKey!;
    const ctx = { tenantId, executionId: execution.id, correlationId: execution.correlationId };
    const summary = (execution.summary as { total?: number; held_by?: 'quiet_hours' | 'hourly_limit' | null } | null) ?? {};
    const supportUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, '')}/admin?correlation=${encodeURIComponent(execution.correlationId)}` : undefined;
    const text = formatAlert({
      failures: failures.map((s) => {
        const p = (s.payload ?? {}) as Record<string, unknown>;
        return {
          type: s.type,
          source: s.source,
          subject: s.subject,
          occurredAt: s.occurredAt,
          errorKind: typeof p.error_kind === 'string' ? p.error_kind : null,
          error: typeof p.error === 'string' ? p.error : typeof p.message === 'string' ? p.message : null,
        };
      }),
      total: Math.max(summary.total ?? failures.length, failures.length),
      windowStart: execution.windowStart,
      windowEnd: execution.windowEnd,
      timezone: config.timezone,
      maxLines: config.max_lines,
      heldBy: summary.held_by ?? null,
      maxAlertsPerHour: config.max_alerts_per_hour,
      supportUrl,
    });
    // What this alert says, for the installation page's recent alerts (the same text every attempt).
    const listed = Math.min(failures.length, config.max_lines);
    const total = Math.max(summary.total ?? failures.length, failures.length);
    await withTenant(deps.db, tenantId, (tx) =>
      tx.execution.update({
        where: { id: execution.id },
        data: { summary: { ...((execution.summary as Prisma.InputJsonObject | null) ?? {}), message: text, listed, suppressed: total - listed } },
      }),
    );
    const contentHash = createHash('sha256').update(text).digest('hex');
    const target = toTarget(secret);
    const props = { [ALERT_MARKER_PROP]: marker(dedupeKey) };
    const attemptMs = attemptTimeoutMs();
    const staleAfterMs = Math.max(deps.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS, minimumStaleClaimMs(attemptMs));
    const writeWindowMs = outcomeWriteWindowMs(attemptMs);

    let channelId: string | undefined;
    const usesToken = target.kind === 'pat' && Boolean(target.team) && Boolean(config.channel);
    if (target.kind === 'pat' && target.team && config.channel) {
      try {
        channelId = await client.resolveChannelId(target.baseUrl, target.token, target.team, config.channel);
      } catch (err) {
        if (isMattermostError(err)) failure(err, err.retryable || err.outcomeUnknown);
        throw err;
      }
    }
    const findOwnPost = async () =>
      target.kind === 'pat' && channelId
        ? client.findPostByMarker(target.baseUrl, target.token, channelId, ALERT_MARKER_PROP, props[ALERT_MARKER_PROP], Date.now() - MARKER_LOOKBACK_MS)
        : null;

    const recordPosted = async (tx: Tx, messageId: string, attempts: number, how: string) => {
      await markOutboundPosted(tx, messageId);
      await tx.installation.update({ where: { id: installation.id }, data: { lastSuccessfulPostAt: new Date(), lastError: null, lastErrorKind: null } });
      await appendExecutionLog(tx, { ...ctx, level: 'info', message: `Alert posted to Mattermost (${how})`, data: { attempts, failures: failures.length } });
    };

    const claimInput = {
      tenantId,
      executionId: execution.id,
      provider: 'mattermost',
      destination: destinationOf(secret, config.channel),
      dedupeKey,
      contentHash,
      staleAfterMs,
    };
    let claim = await withTenant(deps.db, tenantId, (tx) => claimOutboundMessage(tx, claimInput));
    if (claim.state === 'already_posted')
      return { outcome: 'already_posted', attempts: claim.message.attempts, postedByThisRun: claim.message.executionId === execution.id };
    if (claim.state === 'in_flight') {
      const age = Date.now() - (claim.message.claimedAt?.getTime() ?? Date.now());
      const nextRetryDelay = age >= attemptMs ? Math.max(1_000, staleAfterMs - age + 1_000) : undefined;
      throw ApplicationFailure.create({ message: 'Another attempt is posting this alert right now.', type: 'in_flight', nextRetryDelay });
    }
    if (claim.state === 'unknown') {
      const found = await findOwnPost().catch((err: unknown) => {
        if (isMattermostError(err)) failure(err, err.retryable);
        throw err;
      });
      if (found) {
        const message = claim.message;
        await withTenant(deps.db, tenantId, (tx) => recordPosted(tx, message.id, message.attempts, 'found by marker after an unknown outcome'));
        return { outcome: 'posted', attempts: message.attempts };
      }
      if (!usesToken) {
        await withTenant(deps.db, tenantId, (tx) =>
          appendExecutionLog(tx, {
            ...ctx,
            level: 'error',
            message: 'Outcome unknown: the request was sent but no answer came. Not re-posting, to avoid a duplicate.',
          }),
        );
        throw ApplicationFailure.nonRetryable(
          'Mattermost may or may not have posted this alert (the request was sent, no answer came). Check the channel.',
          'unknown',
        );
      }
      claim = await withTenant(deps.db, tenantId, (tx) => claimOutboundMessage(tx, { ...claimInput, acceptUnknown: true }));
      if (claim.state !== 'claimed') throw ApplicationFailure.retryable('The alert is being posted by another attempt.', 'in_flight');
    }

    const message = claim.message;
    const request: PostRequest = { text, channel: config.channel, props };
    try {
      if (target.kind === 'webhook') {
        await client.postViaWebhook(target, request);
      } else {
        if (!target.team || !config.channel) throw ApplicationFailure.nonRetryable('Token connections need a team and a channel to post to.', 'validation');
        channelId ??= await client.resolveChannelId(target.baseUrl, target.token, target.team, config.channel);
        await client.createPost(target.baseUrl, target.token, channelId, request, { pendingPostId: `fp${marker(dedupeKey)}` });
      }
    } catch (err) {
      if (!isMattermostError(err)) {
        await withTenant(deps.db, tenantId, (tx) => markOutboundFailed(tx, message.id, 'unknown'));
        throw err;
      }
      await recordOutcome(
        tenantId,
        async (tx) => {
          if (err.outcomeUnknown) await markOutboundUnknown(tx, message.id);
          else await markOutboundFailed(tx, message.id, err.kind);
          if (err.kind === 'auth' && installation.credentialId)
            await revokeCredential(tx, { tenantId, credentialId: installation.credentialId, reason: 'rejected_by_server', correlationId: ctx.correlationId });
          await appendExecutionLog(tx, {
            ...ctx,
            level: err.retryable ? 'warn' : 'error',
            message: `Mattermost post failed: ${err.message}`,
            data: {
              kind: err.kind,
              code: err.code,
              status: err.status ?? null,
              outcome_unknown: err.outcomeUnknown,
              attempt: message.attempts,
              retry_after_ms: err.retryAfterMs ?? null,
            },
          });
        },
        writeWindowMs,
      );
      failure(err, err.outcomeUnknown ? target.kind === 'pat' : err.retryable);
    }
    await recordOutcome(tenantId, (tx) => recordPosted(tx, message.id, message.attempts, target.kind), writeWindowMs);
    return { outcome: 'posted', attempts: message.attempts };
  };
}
