// Whether an error means "the Temporal service cannot be reached right now" (down, restarting,
// not answering in time), as opposed to a bug or a refused request. The API answers those with
// 503 and Retry-After instead of a 500.

// gRPC status codes: 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED.
const UNREACHABLE_GRPC_CODES = new Set([14, 4]);
// Connection.connect (also through lazyTemporal) when the server never answered.
const CONNECT_MESSAGES = /^Failed to connect before the deadline$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function isTemporalUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = record(current);
    if (!e) return false;
    // A gRPC ServiceError (the client's own ServiceError wraps it as its cause).
    if (typeof e.code === 'number' && UNREACHABLE_GRPC_CODES.has(e.code) && ('metadata' in e || 'details' in e)) return true;
    if (typeof e.message === 'string' && CONNECT_MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
