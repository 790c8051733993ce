// A Temporal client that connects on first use and reconnects after a failure, so the API can
// start (and accept directives) while Temporal is down. `connect` is client.ts's connectTemporal.
import type { TemporalHandle } from './temporal-handle';

export interface LazyTemporal {
  get(): Promise<TemporalHandle>;
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

export function lazyTemporal(connect: () => Promise<TemporalHandle>): LazyTemporal {
  let pending: Promise<TemporalHandle> | undefined;
  const get = () => {
    pending ??= connect().catch((err) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
  return {
    get,
    async reachable() {
      try {
        const t = await get();
        await t.connection.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      const t = await pending?.catch(() => undefined);
      await t?.close().catch(() => undefined);
    },
  };
}
