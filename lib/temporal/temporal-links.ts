// Links into the Temporal Web UI beyond one workflow (lib/temporal/workflow-ids.ts has that one):
// a visibility query, e.g. every workflow of a correlation id or a tenant.

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
