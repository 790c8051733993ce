// Business-keyed workflow ids: the id *is* the idempotency key (design §5). Pure.

export function installIdempotencyKey(p: { tenantId: string; packageSlug: string; version: string; configChecksum: string }): string {
  return `dir:pkg_install:${p.tenantId}:${p.packageSlug}:${p.version}:${p.configChecksum}`;
}

export function uninstallIdempotencyKey(p: { tenantId: string; installationId: string; generation: number }): string {
  return `dir:pkg_uninstall:${p.tenantId}:${p.installationId}:${p.generation}`;
}

/** A later directive with the same key (e.g. reinstall after uninstall) gets a generation suffix. */
export function withGeneration(key: string, generation: number): string {
  return generation <= 1 ? key : `${key}#${generation}`;
}

export function temporalWorkflowUrl(uiBase: string, namespace: string, workflowId: string, runId?: string | null): string {
  const base = `${uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
