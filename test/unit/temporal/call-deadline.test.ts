import type { Connection } from '@temporalio/client';
import { TEMPORAL_READY_DEADLINE_MS, TEMPORAL_UNREACHABLE_DEADLINE_MS, temporalCallDeadline } from '../../../lib/temporal/call-deadline';

const withChannelState = (state: number) => ({ client: { getChannel: () => ({ getConnectivityState: () => state }) } }) as unknown as Connection;

describe('temporalCallDeadline', () => {
  const now = 1_000_000;

  it('waits for a connected server (channel READY), however loaded', () => {
    expect(temporalCallDeadline(withChannelState(2), now)).toBe(now + TEMPORAL_READY_DEADLINE_MS);
  });

  it.each([
    [0, 'IDLE'],
    [1, 'CONNECTING'],
    [3, 'TRANSIENT_FAILURE'],
    [4, 'SHUTDOWN'],
  ])('answers within 2 s when the channel is %i (%s)', (state) => {
    expect(temporalCallDeadline(withChannelState(state), now)).toBe(now + TEMPORAL_UNREACHABLE_DEADLINE_MS);
    expect(TEMPORAL_UNREACHABLE_DEADLINE_MS).toBeLessThan(2_000);
  });

  it('treats a connection whose channel it cannot see as unreachable', () => {
    expect(temporalCallDeadline({} as Connection, now)).toBe(now + TEMPORAL_UNREACHABLE_DEADLINE_MS);
  });
});
