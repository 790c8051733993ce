import { rm } from 'node:fs/promises';

interface Stoppable {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__FLEETPROMPT_STACK__ as { pg: Stoppable; temporal: Stoppable } | undefined;
  await stack?.temporal.stop().catch(() => undefined);
  await stack?.pg.stop().catch(() => undefined);
  if (process.env.TEST_ROOT) await rm(process.env.TEST_ROOT, { recursive: true, force: true }).catch(() => undefined);
}
