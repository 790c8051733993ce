// Whether an error means "the database cannot be reached right now" (down, restarting, out of
// connections, no pooled connection free in time) rather than a bug or a bad query. The API
// answers those with 503 and Retry-After instead of a 500: the request may simply be repeated.

// P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 no connection from the pool in time.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// @prisma/adapter-pg's classification of socket and server errors.
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// SQLSTATE: 08 connection exceptions, 57P01-57P03 shutting down / crashed / starting up, 53300 too many connections.
const SQLSTATE = /^(08...|57P0[123]|53300)$/;
// Prisma's P2028 when no connection came free within the transaction's maxWait: overloaded.
const NO_CONNECTION_IN_TIME = /Unable to start a transaction in the given time/;
// node-postgres's own messages for a connection lost mid-query (they carry no code).
const PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = record(current);
    if (!e) return false;
    if (typeof e.code === 'string' && (PRISMA_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
    if (e.code === 'P2028' && typeof e.message === 'string' && NO_CONNECTION_IN_TIME.test(e.message)) return true;
    const adapter = record(record(record(e.meta)?.driverAdapterError)?.cause);
    if (adapter) {
      if (typeof adapter.kind === 'string' && ADAPTER_KINDS.has(adapter.kind)) return true;
      if (adapter.kind === 'postgres' && typeof adapter.code === 'string' && SQLSTATE.test(adapter.code)) return true;
    }
    if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
