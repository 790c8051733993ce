// How long a request-path call to Temporal may take before the API answers without it.
// A fixed short deadline turned a loaded but healthy server into false 503s (200 concurrent Run
// now requests: half refused), and no deadline left a user waiting ~20 s while the SDK retried an
// unreachable one. So the deadline follows the connection's own state: while its gRPC channel is
// READY the server is answering and is waited for; otherwise (host gone, stuck connecting) the
// user hears 503 within 2 s.
import type { Connection } from '@temporalio/client';

/** When the channel is not READY: a 503 well within 2 s. */
export const TEMPORAL_UNREACHABLE_DEADLINE_MS = 1_200;
/** When the channel is READY: long enough for a loaded server, short of an HTTP client's patience. */
export const TEMPORAL_READY_DEADLINE_MS = 20_000;

const GRPC_READY = 2; // @grpc/grpc-js connectivityState.READY

interface ChannelView {
  client?: { getChannel(): { getConnectivityState(tryToConnect: boolean): number } };
}

/** The absolute deadline (ms since the epoch) for a call on this connection starting now. */
export function temporalCallDeadline(connection: Connection, now = Date.now()): number {
  // The SDK keeps its grpc client protected; reading the channel state has no side effect.
  const state = (connection as unknown as ChannelView).client?.getChannel().getConnectivityState(false);
  return now + (state === GRPC_READY ? TEMPORAL_READY_DEADLINE_MS : TEMPORAL_UNREACHABLE_DEADLINE_MS);
}
