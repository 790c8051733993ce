// Keeps one child process of `npm start` running: when it exits unexpectedly (a crash, an OOM
// kill) it is started again after a backoff (1 s, 2 s, 4 s … up to 30 s; back to 1 s once a run
// lasted a minute), with one line saying so. stop() ends it for good (Ctrl-C).
import type { ChildProcess } from 'node:child_process';

export interface SuperviseOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run at least this long resets the backoff. */
  stableAfterMs?: number;
  log?: (line: string) => void;
  /** Ends a running child (SIGTERM, then SIGKILL after a grace period). */
  stopChild: (child: ChildProcess) => Promise<void>;
}

export interface Supervised {
  readonly name: string;
  /** The running child, or null between a crash and its restart. */
  current(): ChildProcess | null;
  /** How many times it was restarted. */
  restarts(): number;
  stop(): Promise<void>;
}

export function supervise(name: string, start: () => ChildProcess, options: SuperviseOptions): Supervised {
  const initial = options.initialBackoffMs ?? 1_000;
  const max = options.maxBackoffMs ?? 30_000;
  const stableAfter = options.stableAfterMs ?? 60_000;
  const log = options.log ?? ((line: string) => console.error(line));
  let child: ChildProcess | null = null;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let restarts = 0;
  let failuresInARow = 0;

  const launch = () => {
    timer = undefined;
    if (stopping) return;
    const startedAt = Date.now();
    const c = start();
    child = c;
    c.once('exit', (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      failuresInARow = Date.now() - startedAt >= stableAfter ? 1 : failuresInARow + 1;
      const delay = Math.min(max, initial * 2 ** (failuresInARow - 1));
      restarts++;
      log(
        `[supervisor] ${name} exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`}); restarting it in ${(delay / 1000).toFixed(1)} s (restart ${restarts}).`,
      );
      timer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    name,
    current: () => child,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child) await options.stopChild(child);
    },
  };
}
