// How an outbound failure is classified everywhere (signals, executions, the UI, Temporal
// ApplicationFailure types). A string union so workflows can branch on it without instanceof.
export const FAILURE_KINDS = ['auth', 'rate_limit', 'network', 'validation', 'unknown'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === 'string' && (FAILURE_KINDS as readonly string[]).includes(value);
}
