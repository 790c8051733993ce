// Small helpers every benchmark shares: settings from env/args, percentiles, the one JSON line
// of results (stdout) and the human summary and progress (stderr), the machine's facts.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** `--name=value` on the command line wins over BENCH_<NAME> in the environment. */
export function setting(name: string): string | undefined {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}=`;
  const arg = process.argv.find((a) => a.startsWith(flag));
  if (arg) return arg.slice(flag.length);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return env === undefined || env === '' ? undefined : env;
}

/** BENCH_QUICK=1 (or --quick): a small smoke run with the same code path. */
export const QUICK = process.argv.includes('--quick') || ['1', 'true', 'yes'].includes(process.env.BENCH_QUICK ?? '');

export function intSetting(name: string, full: number, quick: number): number {
  const raw = setting(name);
  if (raw === undefined) return QUICK ? quick : full;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`bench: ${name}=${raw} is not a number`);
  return Math.floor(value);
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
  mean: number;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentiles, in the unit given (ms unless said otherwise), one decimal. */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN, min: NaN, mean: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return {
    n: sorted.length,
    p50: round(rank(50)),
    p95: round(rank(95)),
    max: round(sorted[sorted.length - 1]),
    min: round(sorted[0]),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const now = () => process.hrtime.bigint();

export function machine(): { nproc: number; cpu: string; ram_gb: number; node: string; load_avg_1m: number } {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    /* not Linux */
  }
  // The load average says how much else ran on the machine (these figures are wall-clock times).
  return {
    nproc: os.availableParallelism(),
    cpu,
    ram_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load_avg_1m: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

/** One JSON line on stdout (the figures), then the human summary on stderr. */
export function report(bench: string, figures: Record<string, unknown>, summary: string[]): void {
  const line = { bench, date: new Date().toISOString(), quick: QUICK, machine: machine(), ...figures };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.stderr.write(`\n${bench}${QUICK ? ' (quick mode)' : ''}\n${summary.map((s) => `  ${s}`).join('\n')}\n\n`);
}

export const fmt = (d: Distribution, unit = 'ms') => `p50 ${d.p50} ${unit}, p95 ${d.p95} ${unit}, max ${d.max} ${unit} (n=${d.n})`;

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Exits with the benchmark's error; stack.close() must have run in the caller's finally. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
