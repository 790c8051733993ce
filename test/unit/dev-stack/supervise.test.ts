// Issue 15, finding 9: `npm start` restarts a crashed worker or API (with backoff, one line),
// and stopping still stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { supervise } from '../../../scripts/dev-stack/supervise';
import { stopChild } from '../../../scripts/dev-stack/temporal';

const node = (code: string): ChildProcess => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const waitUntil = async (fn: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('finding 9: npm start supervises its children', () => {
  it('a crashed child is restarted with a growing backoff, one line each time', async () => {
    const lines: string[] = [];
    const starts: number[] = [];
    const worker = supervise('worker', () => (starts.push(Date.now()), node('process.exit(3)')), {
      stopChild,
      initialBackoffMs: 100,
      maxBackoffMs: 400,
      log: (l) => lines.push(l),
    });
    await waitUntil(() => starts.length >= 4);
    await worker.stop();
    expect(lines[0]).toBe('[supervisor] worker exited unexpectedly (code 3); restarting it in 0.1 s (restart 1).');
    expect(lines[1]).toMatch(/restarting it in 0\.2 s \(restart 2\)/);
    expect(lines[2]).toMatch(/restarting it in 0\.4 s \(restart 3\)/);
    expect(starts[3] - starts[2]).toBeGreaterThanOrEqual(400);
    const after = starts.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(starts.length).toBe(after); // stopped means stopped
  });

  it('a child killed by a signal is restarted; stop() ends a running child and nothing restarts it', async () => {
    const lines: string[] = [];
    const api = supervise('api', () => node('setInterval(() => {}, 1000)'), { stopChild, initialBackoffMs: 50, log: (l) => lines.push(l) });
    await waitUntil(() => api.current() !== null);
    const first = api.current()!;
    first.kill('SIGKILL');
    await waitUntil(() => api.current() !== null && api.current() !== first);
    expect(lines).toEqual(['[supervisor] api exited unexpectedly (signal SIGKILL); restarting it in 0.1 s (restart 1).']);
    const second = api.current()!;
    await api.stop();
    expect(second.exitCode !== null || second.signalCode !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.current()).toBeNull();
    expect(lines).toHaveLength(1);
  });
});
