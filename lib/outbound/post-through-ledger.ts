// Posts one message to an installation's Mattermost connection exactly once as far as Mattermost
// allows — the one implementation every package's post activity calls (the digest's postDigest,
// the failure alerts' postFailureAlert), so an exactly-once fix lands once. The steps:
//   claim → post → record. The ledger row (dedupe key) is claimed under a row lock, one poster at
//   a time; a row already `posted` makes a retry a no-op; an unknowable outcome is never re-posted
//   blindly — with a token we first look for our own post by its marker, with a webhook we record
//   `unknown` and surface it. Mattermost refusing the credential is evidence, confirmed once a
//   minute later before the connection is marked invalid. Failure classes (auth / rate_limit /
//   network / validation / unknown) decide the activity's retries.
// Runs inside a Temporal activity (it reads its own attempt timeout from the activity info).
import { createHash } from 'node:crypto';
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { recordAccepted, recordRefusal, refusalCode, REFUSAL_CONFIRM_MS } from '../credentials/credential-evidence';
import { toTarget, type TCredentialSecret } from '../credentials/credential-secret';
import { openCredential, type SealedCredential } from '../credentials/load-credential';
import type { Keyring } from '../crypto/keyring';
import type { Db } from '../db/client';
import type { Installation } from '../db/generated/client';
import { isPrismaTx, sqlRow, withTenantSql, type SqlClient } from '../db/raw-sql';
import { withTenant } from '../db/with-tenant';
import { isAppError } from '../errors/app-error';
import { appendExecutionLog } from '../executions/execution-log';
import { changeInstallation } from '../installations/change-installation';
import type { PackageDefinition } from '../packages/contract';
import type { Logger } from '../log/logger';
import { recordMattermostPost } from '../metrics/telemetry';
import { isMattermostError, type MattermostClient, type MattermostError, type PostRequest } from '../mattermost';
import { DEFAULT_STALE_CLAIM_MS, minimumStaleClaimMs, outcomeWriteWindowMs, POST_ATTEMPT_TIMEOUT_MS } from '../temporal/contract/timeouts';
import { claimOutboundMessage, markOutboundFailed, markOutboundPosted, markOutboundUnknown } from './ledger';

/** The post's property that carries its marker (a hash of the dedupe key): how we find our own post. */
export const DEDUPE_MARKER_PROP = 'fleetprompt_dedupe';
// The own-post search starts this long before the ledger row's first attempt (clock skew between
// us and Mattermost), not hours back: in a busy channel a long look-back hits the server's cap.
const MARKER_SEARCH_SKEW_MS = 2 * 60_000;

export interface LedgerPostDeps {
  db: Db;
  logger: Logger;
  keyring?: Keyring;
  mattermost?: MattermostClient;
  /** Age after which a `posting` claim counts as abandoned (default DEFAULT_STALE_CLAIM_MS). */
  staleClaimMs?: number;
  /** How long a first refusal waits for its confirmation (default REFUSAL_CONFIRM_MS). */
  refusalConfirmMs?: number;
}

/** The installation as the post reads it. */
export type PostingInstallation = Pick<Installation, 'id' | 'config' | 'credentialId'>;

/** What the package posts, decided from the installation the post read. */
export interface LedgerMessage {
  text: string;
  /** The ledger's content hash (default: sha-256 of the text). */
  contentHash?: string;
  channel: string | null;
  username?: string;
  iconUrl?: string;
  /** The ledger's key: one message per key, ever. */
  dedupeKey: string;
  correlationId: string;
}

export interface LedgerPostInput {
  tenantId: string;
  installationId: string;
  executionId: string;
  /** What is posted, in the errors people read: "digest", "alert". */
  noun: string;
  /** The posting package: a credential accepted or refused changes its installation's state (its schedule hook says what that means for a Schedule). */
  definition: PackageDefinition;
  /** A person may re-post an unknown outcome with Retry (the digest's runs): said in the error. */
  retryOffered?: boolean;
  /** A person's Retry accepted an unknown outcome (a webhook then re-posts on their word alone). */
  acceptUnknownOutcome?: boolean;
  /** What to post, from the installation as the post read it (a package that reads or writes more opens its own transaction). */
  prepare(installation: PostingInstallation): LedgerMessage | Promise<LedgerMessage>;
  /** The package's own records of a posted message (signals), in the transaction that marks it posted. */
  onPosted?(tx: SqlClient, posted: { messageId: string; attempts: number; how: string }): Promise<void>;
}

export interface LedgerPostResult {
  outcome: 'posted' | 'already_posted';
  attempts: number;
  /** already_posted by an earlier attempt of this same execution (its result never reached Temporal). */
  postedByThisRun?: boolean;
}

/**
 * This attempt's own start-to-close timeout (what Temporal will enforce), so the stale-claim
 * rule and the outcome-write window follow the workflow's setting instead of a copy of it.
 * Outside an activity (direct calls in tests) it is the contract's value.
 */
function attemptTimeoutMs(): number {
  try {
    const fromInfo = activityInfo().startToCloseTimeoutMs;
    return fromInfo > 0 ? fromInfo : POST_ATTEMPT_TIMEOUT_MS;
  } catch {
    return POST_ATTEMPT_TIMEOUT_MS;
  }
}

export function dedupeMarker(dedupeKey: string): string {
  return createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32);
}

function destinationOf(secret: TCredentialSecret, channel: string | null): string {
  const c = channel ?? 'default';
  return secret.kind === 'webhook' ? `webhook:${secret.webhook_url.split('/hooks/')[0]}:${c}` : `pat:${secret.base_url}:${secret.team ?? ''}:${c}`;
}

// The installation and its sealed credential in one statement on the pg pool (issue 12: the
// post's first read was a Prisma transaction of two queries; moving it took the worker's CPU per
// digest from 38 to 36 ms in the fan-out, and the digest's path off Prisma).
const POSTING_READ = `select i.id, i.config, i.credential_id as "credentialId", c.id as "sealedId",
          c.tenant_id as "tenantId", c.status::text as status, c.ciphertext, c.nonce, c.auth_tag as "authTag", c.key_id as "keyId"
     from installations i left join integration_credentials c on c.id = i.credential_id
    where i.id = $1::uuid`;
type PostingRead = PostingInstallation & Omit<SealedCredential, 'id'> & { sealedId: string | null };

/** recordPosted on a pg client met an `invalid` credential that works again: its change needs Prisma. */
class InstallationChangeNeeded extends Error {}

/**
 * Throws for the activity's retry policy: transient kinds retry (honouring Retry-After), the rest
 * do not. A final unknown outcome is reported as kind `unknown`, whatever the transport said.
 */
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

/**
 * One posting attempt, counted in the posting metrics (fleetprompt_mattermost_post_*): here, in
 * the one implementation every package's post activity calls, so the worker needs no list of
 * which activities post.
 */
export async function postThroughLedger(deps: LedgerPostDeps, input: LedgerPostInput): Promise<LedgerPostResult> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await claimPostRecord(deps, input);
    recordMattermostPost({ outcome: result.outcome, seconds: seconds() });
    return result;
  } catch (err) {
    const errorKind = (err as { type?: unknown })?.type;
    recordMattermostPost({ outcome: 'failed', errorKind: typeof errorKind === 'string' ? errorKind : undefined, seconds: seconds() });
    throw err;
  }
}

async function claimPostRecord(deps: LedgerPostDeps, input: LedgerPostInput): Promise<LedgerPostResult> {
  const { tenantId, installationId, executionId, noun } = input;
  const packages = { find: (slug: string) => (slug === input.definition.identity.slug ? input.definition : undefined) };
  if (!deps.mattermost || !deps.keyring)
    throw ApplicationFailure.nonRetryable(`This worker cannot post ${noun}s (no Mattermost client or keyring configured).`, 'validation');
  const client = deps.mattermost;
  const keyring = deps.keyring;
  const read = await withTenantSql(deps.db, tenantId, (tx) => sqlRow<PostingRead>(tx, POSTING_READ, [installationId]));
  if (!read) throw new Error('The installation no longer exists.');
  const installation: PostingInstallation = { id: read.id, config: read.config, credentialId: read.credentialId };
  if (!installation.credentialId) throw ApplicationFailure.nonRetryable('Mattermost is not connected for this installation.', 'validation');
  let secret: TCredentialSecret;
  try {
    secret = openCredential(keyring, read.sealedId ? { ...read, id: read.sealedId } : null);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(isAppError(err) ? err.message : 'The stored Mattermost credential cannot be read; reconnect Mattermost.', 'auth');
  }
  const post = await input.prepare(installation);
  const ctx = { tenantId, executionId, correlationId: post.correlationId };
  const target = toTarget(secret);
  const props = { [DEDUPE_MARKER_PROP]: dedupeMarker(post.dedupeKey) };

  // Raw statements (issue 12) on the pg pool; through Prisma only when an `invalid` credential
  // works again, whose changeInstallation must run in the same transaction (see inTransaction).
  async function recordPosted(tx: SqlClient, messageId: string, attempts: number, how: string) {
    await markOutboundPosted(tx, messageId);
    const now = new Date();
    // updated_at as Prisma's @updatedAt set it; the credential read back in the same statement.
    const inst = await sqlRow<{ credentialId: string | null }>(
      tx,
      `update installations set last_successful_post_at = $2::timestamptz, last_error = null, last_error_kind = null, updated_at = $2::timestamptz
        where id = $1::uuid returning credential_id as "credentialId"`,
      [installationId, now],
    );
    if (!inst) throw new Error('The installation no longer exists.');
    // Evidence that the credential works: clears refusals; an `invalid` one is `connected` again.
    if (inst.credentialId && (await recordAccepted(tx, { credentialId: inst.credentialId }))) {
      if (!isPrismaTx(tx)) throw new InstallationChangeNeeded();
      await changeInstallation(tx, {
        tenantId,
        installationId,
        actor: { kind: 'system', source: 'mattermost' },
        packages,
        change: 'credential.accepted',
        details: { how },
      });
    }
    await appendExecutionLog(tx, { ...ctx, level: 'info', message: `Message posted to Mattermost (${how})`, data: { attempts } });
    await input.onPosted?.(tx, { messageId, attempts, how });
  }

  /**
   * One transaction on the pg pool, not Prisma (Prisma was a fifth of the worker's main thread in
   * the fan-out profile, this transaction part of it). The rare write that needs Prisma rolls back
   * there and runs again, whole, in a Prisma transaction.
   */
  async function inTransaction(write: (tx: SqlClient) => Promise<void>): Promise<void> {
    try {
      await withTenantSql(deps.db, tenantId, write);
    } catch (err) {
      if (!(err instanceof InstallationChangeNeeded)) throw err;
      await withTenant(deps.db, tenantId, write);
    }
  }

  /**
   * Writes what Mattermost told us. Once the request went out, that answer exists nowhere else:
   * if the write is lost (the database restarting), the claim goes stale and a known outcome
   * becomes `unknown`. So a failed write is retried (it is idempotent) for up to half the
   * attempt's timeout before the attempt gives up.
   */
  async function recordOutcome(write: (tx: SqlClient) => Promise<void>): Promise<void> {
    const deadline = Date.now() + outcomeWriteWindowMs(attemptTimeoutMs());
    for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await inTransaction(write);
        return;
      } catch (err) {
        if (Date.now() + delay > deadline) throw err;
        deps.logger.warn({ ...ctx, err: err instanceof Error ? err.name : 'error' }, 'could not record the post outcome yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  // With a token, an earlier unknown outcome can be settled by looking for our own post.
  let channelId: string | undefined;
  const findOwnPost = async (firstAttemptAt: Date) => {
    if (target.kind !== 'pat' || !target.team || !post.channel) return null;
    channelId ??= await client.resolveChannelId(target.baseUrl, target.token, target.team, post.channel);
    return client.findPostByMarker(
      target.baseUrl,
      target.token,
      channelId,
      DEDUPE_MARKER_PROP,
      props[DEDUPE_MARKER_PROP],
      firstAttemptAt.getTime() - MARKER_SEARCH_SKEW_MS,
    );
  };

  // Mattermost refused the credential (its own answer): evidence, not yet a verdict. The first
  // refusal is confirmed by one more attempt a minute later; a confirmed one marks it invalid
  // (which removes the schedule through the reconciler) and names the cause in the run's log.
  const onRefusal = async (err: MattermostError, where: string): Promise<never> => {
    const code = refusalCode(err)!;
    const confirmMs = deps.refusalConfirmMs ?? REFUSAL_CONFIRM_MS;
    const verdict = await withTenant(deps.db, tenantId, async (tx) => {
      const v = await recordRefusal(tx, { tenantId, credentialId: installation.credentialId!, code, correlationId: ctx.correlationId, confirmMs });
      if (v === 'invalid') {
        await changeInstallation(tx, {
          tenantId,
          installationId,
          actor: { kind: 'system', source: 'mattermost' },
          packages,
          change: 'credential.refused',
          details: { code, where },
        });
      }
      await appendExecutionLog(tx, {
        ...ctx,
        level: v === 'invalid' ? 'error' : 'warn',
        message:
          v === 'invalid'
            ? `Mattermost refused the credential at the ${where} (confirmed): ${err.message}`
            : `Mattermost refused the credential at the ${where}; trying once more before marking it invalid: ${err.message}`,
        data: { kind: err.kind, code: err.code, status: err.status ?? null, error_id: err.errorId ?? null, verdict: v },
      });
      return v;
    });
    if (verdict === 'invalid' || verdict === 'not_connected') failure(err, false);
    throw ApplicationFailure.create({
      message: err.message,
      type: 'auth_unconfirmed',
      nextRetryDelay: confirmMs + 1_000,
      details: [{ code: err.code, status: err.status ?? null }],
    });
  };

  // Resolved before the claim: a failed read must never make the ledger's outcome unknown.
  if (target.kind === 'pat' && target.team && post.channel) {
    try {
      channelId = await client.resolveChannelId(target.baseUrl, target.token, target.team, post.channel);
    } catch (err) {
      if (!isMattermostError(err)) throw err;
      if (refusalCode(err)) await onRefusal(err, 'channel lookup');
      await withTenant(deps.db, tenantId, (tx) =>
        appendExecutionLog(tx, {
          ...ctx,
          level: err.retryable ? 'warn' : 'error',
          message: `Mattermost channel lookup failed: ${err.message}`,
          data: { kind: err.kind, code: err.code, status: err.status ?? null },
        }),
      );
      failure(err, err.retryable || err.outcomeUnknown);
    }
  }

  // Never shorter than this attempt may live: a live poster must not be taken for a dead one.
  const attemptMs = attemptTimeoutMs();
  const staleAfterMs = Math.max(deps.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS, minimumStaleClaimMs(attemptMs));
  const claimInput = {
    tenantId,
    executionId,
    provider: 'mattermost',
    destination: destinationOf(secret, post.channel),
    dedupeKey: post.dedupeKey,
    contentHash: post.contentHash ?? createHash('sha256').update(post.text).digest('hex'),
    staleAfterMs,
  };
  // A token can always look for its own post, so even a user's Retry (which accepts an unknown
  // outcome) searches first: only a webhook's Retry re-posts on the user's word alone.
  const canSearch = target.kind === 'pat' && Boolean(target.team) && Boolean(post.channel);
  // The claim on the pg pool (raw SQL, lib/db/raw-sql.ts): one transaction, as before.
  let claim = await withTenantSql(deps.db, tenantId, (tx) =>
    claimOutboundMessage(tx, { ...claimInput, acceptUnknown: canSearch ? false : input.acceptUnknownOutcome }),
  );
  // Nothing to post. If an earlier attempt of this same execution posted it (its completion never
  // reached Temporal, e.g. the server restarted), it did post: say so.
  if (claim.state === 'already_posted')
    return { outcome: 'already_posted', attempts: claim.message.attempts, postedByThisRun: claim.message.executionId === executionId };
  if (claim.state === 'in_flight') {
    // A claim younger than one attempt may belong to a live poster: check again soon (the
    // policy's backoff). An older one belongs to an attempt Temporal has timed out: come back
    // when it counts as abandoned, rather than spend the remaining attempts before then.
    const age = Date.now() - (claim.message.claimedAt?.getTime() ?? Date.now());
    const nextRetryDelay = age >= attemptMs ? Math.max(1_000, staleAfterMs - age + 1_000) : undefined;
    throw ApplicationFailure.create({ message: `Another attempt is posting this ${noun} right now.`, type: 'in_flight', nextRetryDelay });
  }
  if (claim.state === 'unknown') {
    const found = await findOwnPost(claim.message.createdAt).catch((err: unknown) => {
      if (isMattermostError(err)) failure(err, err.retryable);
      throw err;
    });
    if (found) {
      await inTransaction((tx) => recordPosted(tx, claim.message.id, claim.message.attempts, 'found by marker after an unknown outcome'));
      return { outcome: 'posted', attempts: claim.message.attempts };
    }
    if (!canSearch) {
      await withTenant(deps.db, tenantId, (tx) =>
        appendExecutionLog(tx, {
          ...ctx,
          level: 'error',
          message: 'Outcome unknown: the request was sent but no answer came. Not re-posting, to avoid a duplicate.',
        }),
      );
      throw ApplicationFailure.nonRetryable(
        `Mattermost may or may not have posted this ${noun} (the request was sent, no answer came). Check the channel${input.retryOffered ? '; Retry re-posts it' : ''}.`,
        'unknown',
      );
    }
    claim = await withTenantSql(deps.db, tenantId, (tx) => claimOutboundMessage(tx, { ...claimInput, acceptUnknown: true }));
    if (claim.state !== 'claimed') throw ApplicationFailure.retryable(`The ${noun} is being posted by another attempt.`, 'in_flight');
  }

  const message = claim.message;
  const request: PostRequest = { text: post.text, channel: post.channel, username: post.username, iconUrl: post.iconUrl, props };
  try {
    if (target.kind === 'webhook') {
      await client.postViaWebhook(target, request);
    } else {
      if (!target.team || !post.channel) throw ApplicationFailure.nonRetryable('Token connections need a team and a channel to post to.', 'validation');
      channelId ??= await client.resolveChannelId(target.baseUrl, target.token, target.team, post.channel);
      await client.createPost(target.baseUrl, target.token, channelId, request, { pendingPostId: `fp${dedupeMarker(post.dedupeKey)}` });
    }
  } catch (err) {
    if (!isMattermostError(err)) {
      await withTenant(deps.db, tenantId, (tx) => markOutboundFailed(tx, message.id, 'unknown'));
      throw err;
    }
    await recordOutcome(async (tx) => {
      if (err.outcomeUnknown) await markOutboundUnknown(tx, message.id);
      else await markOutboundFailed(tx, message.id, err.kind);
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
    });
    if (refusalCode(err) && installation.credentialId) await onRefusal(err, 'post');
    // An unknown outcome with a token is settled on the next attempt by the marker search.
    const retry = err.outcomeUnknown ? target.kind === 'pat' : err.retryable;
    failure(err, retry);
  }
  await recordOutcome((tx) => recordPosted(tx, message.id, message.attempts, target.kind));
  return { outcome: 'posted', attempts: message.attempts };
}
