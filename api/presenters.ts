// The API's JSON shapes (snake_case), built from rows. Never includes secrets or ciphertext.
import type { RetryBlock } from '../lib/runs/run-hook';
import { failureHint } from '../lib/credentials/failure-hints';
import type { Directive, Execution, ExecutionLog, Installation, IntegrationCredential, Package, Signal } from '../lib/db/generated/client';
import type { RunQuota } from '../lib/runs/run-now-limit';
import type { InstallationScheduleState } from '../lib/temporal/installation-schedule';
import { temporalWorkflowUrl } from '../lib/temporal/temporal-links';

export interface LinkContext {
  temporalUiUrl?: string;
  namespace: string;
}

export function presentPackage(p: Package) {
  return { slug: p.slug, name: p.name, version: p.version, description: p.description, category: p.category, publisher: p.publisher, manifest: p.manifest };
}

export function presentInstallation(i: Installation) {
  return {
    id: i.id,
    package_slug: i.packageSlug,
    package_version: i.packageVersion,
    status: i.status,
    config: i.config,
    credential_id: i.credentialId,
    last_error: i.lastError,
    last_error_kind: i.lastErrorKind,
    last_successful_post_at: i.lastSuccessfulPostAt,
    schedule_id: i.scheduleId,
    // The desired state is versioned; Temporal has caught up when observed == desired.
    desired_version: i.desiredVersion,
    observed_version: i.observedVersion,
    apply_state: applyState(i),
    installed_at: i.installedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

/** "being_applied" until the reconciler has made Temporal match the newest desired state. */
export function applyState(i: Pick<Installation, 'desiredVersion' | 'observedVersion'>): 'applied' | 'being_applied' {
  return i.observedVersion >= i.desiredVersion ? 'applied' : 'being_applied';
}

export function presentDirective(d: Directive, links: LinkContext) {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    params: d.params,
    idempotency_key: d.idempotencyKey,
    actor_user_id: d.actorUserId,
    actor_role: d.actorRole,
    correlation_id: d.correlationId,
    workflow_id: d.workflowId,
    run_id: d.runId,
    error: d.error,
    error_kind: d.errorKind,
    created_at: d.createdAt,
    started_at: d.startedAt,
    completed_at: d.completedAt,
    temporal_url: links.temporalUiUrl ? temporalWorkflowUrl(links.temporalUiUrl, links.namespace, d.workflowId, d.runId) : null,
  };
}

export function presentSignal(s: Signal) {
  return {
    id: s.id,
    type: s.type,
    occurred_at: s.occurredAt,
    correlation_id: s.correlationId,
    causation_id: s.causationId,
    dedupe_key: s.dedupeKey,
    source: s.source,
    subject: s.subject,
    payload: s.payload,
  };
}

/**
 * What the connection is, from evidence: connected; refused once by Mattermost and being
 * checked again; invalid (refused twice, a minute apart); or disconnected by a person (Disconnect,
 * or uninstall) at a time. `by` is that person's name, when the caller looked it up.
 */
export function connectionState(c: IntegrationCredential): 'connected' | 'refused_once' | 'invalid' | 'disconnected' {
  if (c.status === 'revoked') return 'disconnected';
  if (c.status === 'invalid') return 'invalid';
  return c.refusalCount > 0 ? 'refused_once' : 'connected';
}

/** Names for the people and API tokens a credential row refers to (users are global, tokens the tenant's). */
export interface CredentialActors {
  users: ReadonlyMap<string, { name: string | null; email: string }>;
  tokens: ReadonlyMap<string, { name: string }>;
}

/** Who did it: a signed-in user (name, email), or an API token (its name; a bearer token has no user). */
function actorOf(
  userId: string | null,
  tokenId: string | null,
  actors: CredentialActors | undefined,
  by?: { id: string; name: string | null; email: string } | null,
) {
  if (userId) {
    const known = actors?.users.get(userId) ?? (by?.id === userId ? by : undefined);
    return { kind: 'user' as const, id: userId, name: known?.name ?? null, email: known?.email ?? null };
  }
  if (tokenId) return { kind: 'api_token' as const, id: tokenId, name: actors?.tokens.get(tokenId)?.name ?? null, email: null };
  return null;
}

export function presentCredential(c: IntegrationCredential, by?: { id: string; name: string | null; email: string } | null, actors?: CredentialActors) {
  return {
    state: connectionState(c),
    connected_at: c.connectedAt,
    connected_by: actorOf(c.connectedByUserId, c.connectedByTokenId, actors),
    disconnected_at: c.disconnectedAt,
    disconnected_by: actorOf(c.disconnectedByUserId, c.disconnectedByTokenId, actors, by),
    disconnect_reason: c.disconnectReason,
    first_refused_at: c.firstRefusedAt,
    last_refusal_code: c.lastRefusalCode,
    id: c.id,
    provider: c.provider,
    kind: c.kind,
    host: c.host,
    fingerprint: c.fingerprint,
    metadata: c.metadata,
    status: c.status,
    last_verified_at: c.lastVerifiedAt,
    last_error: c.lastError,
    updated_at: c.updatedAt,
  };
}

/**
 * `failureCode`: the Mattermost code of the run's failure, when known (lib/executions/failure-codes.ts).
 * `supersededBy`: the later run that already covered a failed run, so Retry is refused (RunHook.retryBlockedBy, lib/runs/retry-blocks.ts).
 */
export function presentExecution(e: Execution, links: LinkContext, failureCode?: string | null, supersededBy?: RetryBlock['supersededBy'] | null) {
  const summary = (e.summary as Record<string, unknown> | null) ?? null;
  return {
    id: e.id,
    installation_id: e.installationId,
    kind: e.kind,
    trigger: e.trigger,
    status: e.status,
    correlation_id: e.correlationId,
    workflow_id: e.workflowId,
    run_id: e.runId,
    window_start: e.windowStart,
    window_end: e.windowEnd,
    error_kind: e.errorKind,
    // A failed run has ended: its hint never promises a retry (failureHint's `ended`).
    error_code: e.status === 'failed' ? (failureCode ?? null) : null,
    hint: e.status === 'failed' ? failureHint(e.errorKind, failureCode, { ended: true }) : null,
    summary,
    retry_of_execution_id: e.retryOfExecutionId,
    retry_superseded_by: e.status === 'failed' ? (supersededBy ?? null) : null,
    created_at: e.createdAt,
    started_at: e.startedAt,
    finished_at: e.finishedAt,
    temporal_url: links.temporalUiUrl && e.workflowId ? temporalWorkflowUrl(links.temporalUiUrl, links.namespace, e.workflowId, e.runId) : null,
  };
}

export function presentExecutionLog(l: ExecutionLog) {
  return { at: l.at, level: l.level, message: l.message, data: l.data, correlation_id: l.correlationId };
}

export function presentQuota(q: RunQuota) {
  return { limit: q.limit, used: q.used, remaining: q.remaining, resets_at: q.resetsAt };
}

export function presentSchedule(s: InstallationScheduleState | null) {
  if (!s) return null;
  return {
    schedule_id: s.scheduleId,
    paused: s.paused,
    schedule_time: s.scheduleTime,
    timezone: s.timezone,
    next_runs: s.nextRuns.map((r) => ({ at: r.at, local: r.local, utc_offset: r.utcOffset })),
  };
}
