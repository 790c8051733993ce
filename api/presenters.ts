// The API's JSON shapes (snake_case), built from rows. Never includes secrets or ciphertext.
import type { Directive, Installation, Package, Signal } from '../lib/db/generated/client';
import { temporalWorkflowUrl } from '../lib/temporal/workflow-ids';

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
    installed_at: i.installedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
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
