// Links into the Temporal Web UI: one workflow (its history when the run is known), or a
// visibility query, e.g. every workflow of a correlation id or a tenant.

export function temporalWorkflowUrl(uiBase: string, namespace: string, workflowId: string, runId?: string | null): string {
  const base = `${uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

export function temporalSearchUrl(uiBase: string, namespace: string, query: string): string {
  return `${uiBase.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** A search-attribute value inside a visibility query string literal. */
export function visibilityLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function correlationSearchUrl(uiBase: string, namespace: string, correlationId: string): string {
  return temporalSearchUrl(uiBase, namespace, `CorrelationId=${visibilityLiteral(correlationId)}`);
}
