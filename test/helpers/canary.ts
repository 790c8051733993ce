// Canary scanning: plant unique secret values (a webhook hook id, a token), exercise the system,
// then prove none of them was written anywhere a human or another system could read it back —
// database rows (bytea included), logs, API responses, Temporal histories and schedules.
// Fault and load tests call scanForCanaries again with their own sources.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Client as PgClient } from 'pg';
import { waitFor } from './db';

export interface Canary {
  /** What the value is, e.g. "webhook hook id" (shown in failures; the value never is). */
  name: string;
  value: string;
}

export interface ScanSource {
  /** Where the text came from, e.g. "db:integration_credentials" or "temporal:<workflow id>". */
  name: string;
  text: string;
}

export interface CanaryHit {
  canary: string;
  source: string;
  /** How the value was written there: raw, hex, base64, url-encoded, … */
  encoding: string;
  /** Surrounding text with the canary itself replaced by «canary». */
  context: string;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A unique value of `length` [a-z0-9] characters starting with `prefix` (a Mattermost id is 26). */
export function makeCanary(prefix = 'cnry', length = 26): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; out.length < length; i++) out += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
  return out;
}

/** The base64 text that must appear wherever `value` was base64-encoded, at each of the three byte alignments. */
function base64Needles(value: Buffer, urlSafe: boolean): string[] {
  const needles: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    let b64 = Buffer.concat([Buffer.alloc(pad), value]).toString('base64');
    if (urlSafe) b64 = b64.replace(/\+/g, '-').replace(/\//g, '_');
    const start = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + value.length) * 8) / 6);
    if (end - start >= 8) needles.push(b64.slice(start, end));
  }
  return needles;
}

/** Every encoding under which a leaked value would still be recognisable. */
export function canaryVariants(value: string): { encoding: string; needle: string }[] {
  const bytes = Buffer.from(value, 'utf8');
  const variants: { encoding: string; needle: string }[] = [
    { encoding: 'raw', needle: value },
    { encoding: 'hex', needle: bytes.toString('hex') },
    { encoding: 'HEX', needle: bytes.toString('hex').toUpperCase() },
    { encoding: 'url-encoded', needle: encodeURIComponent(value) },
    { encoding: 'json-escaped', needle: JSON.stringify(value).slice(1, -1) },
    { encoding: 'json-escaped-slashes', needle: JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/') },
    ...base64Needles(bytes, false).map((needle) => ({ encoding: 'base64', needle })),
    ...base64Needles(bytes, true).map((needle) => ({ encoding: 'base64url', needle })),
  ];
  const seen = new Set<string>();
  return variants.filter((v) => v.needle.length > 0 && !seen.has(v.needle) && seen.add(v.needle));
}

/** Finds every canary, under every encoding, in every source. Empty means nothing leaked. */
export function scanForCanaries(sources: readonly ScanSource[], canaries: readonly Canary[]): CanaryHit[] {
  const hits: CanaryHit[] = [];
  for (const canary of canaries) {
    if (canary.value.length < 8) throw new Error(`canary "${canary.name}" is too short to scan for reliably`);
    const variants = canaryVariants(canary.value);
    for (const source of sources) {
      for (const { encoding, needle } of variants) {
        const at = source.text.indexOf(needle);
        if (at < 0) continue;
        const context = source.text
          .slice(Math.max(0, at - 60), at + needle.length + 60)
          .split(needle)
          .join('«canary»');
        hits.push({ canary: canary.name, source: source.name, encoding, context });
      }
    }
  }
  return hits;
}

/** A readable report for a failing expectation: where each canary was found, never its value. */
export function describeHits(hits: readonly CanaryHit[]): string {
  if (hits.length === 0) return 'no canary found';
  return hits.map((h) => `${h.canary} in ${h.source} (${h.encoding}): …${h.context}…`).join('\n');
}

/**
 * Text for scanning any value: JSON with byte arrays decoded (as UTF-8 and hex: Temporal
 * payloads, bytea), errors with message, stack and cause, Maps and Sets as entries. Walks own
 * properties itself rather than trusting toJSON (protobuf messages would turn bytes into base64).
 */
export function toScanText(value: unknown): string {
  const seen = new WeakSet<object>();
  const normalize = (v: unknown, depth: number): unknown => {
    if (v === null || v === undefined) return v ?? null;
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (typeof v !== 'object') return v;
    if (v instanceof Uint8Array) return { utf8: Buffer.from(v).toString('utf8'), hex: Buffer.from(v).toString('hex') };
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (v instanceof Error) return inspect(v, { depth: 8, breakLength: Infinity });
    if (seen.has(v) || depth > 64) return '[seen]';
    seen.add(v);
    if (v instanceof Map) return [...v.entries()].map(([k, x]) => [normalize(k, depth + 1), normalize(x, depth + 1)]);
    if (v instanceof Set || Array.isArray(v)) return [...v].map((x) => normalize(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = normalize((v as Record<string, unknown>)[key], depth + 1);
    return out;
  };
  return JSON.stringify(normalize(value, 0)) ?? String(value);
}

/** A Writable that keeps everything written to it (e.g. a pino destination). */
export function memoryStream(): { stream: Writable; text(): string; lines(): string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

/**
 * Every row of every table in `schema`, one source per table: `row_to_json` (bytea shows as hex)
 * plus each bytea value decoded as text, so a plaintext inside a "ciphertext" column is found too.
 */
export async function dumpDatabase(admin: PgClient, schema = 'public'): Promise<ScanSource[]> {
  const tables = await admin.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [schema],
  );
  const sources: ScanSource[] = [];
  for (const { table_name: table } of tables.rows) {
    const ident = `"${schema.replace(/"/g, '""')}"."${table.replace(/"/g, '""')}"`;
    const rows = await admin.query<{ j: string }>(`select row_to_json(t)::text as j from ${ident} t`);
    const byteaColumns = await admin.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = $1 and table_name = $2 and data_type = 'bytea'`,
      [schema, table],
    );
    const parts = rows.rows.map((r) => r.j);
    for (const { column_name: column } of byteaColumns.rows) {
      const values = await admin.query<{ v: Buffer | null }>(`select "${column.replace(/"/g, '""')}" as v from ${ident}`);
      for (const { v } of values.rows) {
        if (v) parts.push(`${column}(utf8)=${v.toString('utf8')}`, `${column}(latin1)=${v.toString('latin1')}`, `${column}(hex)=${v.toString('hex')}`);
      }
    }
    sources.push({ name: `db:${table}`, text: parts.join('\n') });
  }
  return sources;
}

/**
 * Every workflow matching `query` (e.g. `TenantId = '…'`): its description (memo, search
 * attributes, summary) and full history, payloads decoded. Visibility is eventually consistent,
 * so this waits until every id in `expectWorkflowIds` is listed (and closed, unless told not to).
 */
export async function temporalSources(
  client: TemporalClient,
  query: string,
  options: { expectWorkflowIds?: readonly string[]; requireClosed?: boolean; timeoutMs?: number } = {},
): Promise<{ sources: ScanSource[]; workflowIds: string[] }> {
  const expected = new Set(options.expectWorkflowIds ?? []);
  const listed = await waitFor(
    async () => {
      const found: { workflowId: string; runId: string; status: string }[] = [];
      for await (const w of client.workflow.list({ query })) found.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name });
      const ids = new Set(found.map((w) => w.workflowId));
      if ([...expected].some((id) => !ids.has(id))) return undefined;
      if (options.requireClosed !== false && found.some((w) => w.status === 'RUNNING')) return undefined;
      return found;
    },
    options.timeoutMs ?? 20_000,
    250,
  );
  const sources: ScanSource[] = [];
  for (const w of listed) {
    const handle = client.workflow.getHandle(w.workflowId, w.runId);
    const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
    sources.push({ name: `temporal:${w.workflowId}:describe`, text: toScanText(description) });
    sources.push({ name: `temporal:${w.workflowId}:history`, text: toScanText(history) });
  }
  return { sources, workflowIds: listed.map((w) => w.workflowId) };
}

/** Temporal Schedules (their action args, memo, search attributes, notes) by id; missing ones are skipped. */
export async function scheduleSources(client: TemporalClient, scheduleIds: readonly string[]): Promise<ScanSource[]> {
  const sources: ScanSource[] = [];
  for (const id of scheduleIds) {
    try {
      const d = await client.schedule.getHandle(id).describe();
      sources.push({ name: `temporal-schedule:${id}`, text: toScanText(d) });
    } catch (err) {
      if ((err as Error).name !== 'ScheduleNotFoundError') throw err;
    }
  }
  return sources;
}

/**
 * Records everything the Temporal SDK's runtime logger is asked to log (every level, even those
 * its level filter drops): worker, activity and workflow log lines with their metadata (errors
 * included). Pass the logger of `Runtime.instance()`; call `stop()` to restore it.
 */
export function captureRuntimeLogs(logger: { log(level: string, message: string, meta?: Record<string, unknown>): void }): { text(): string; stop(): void } {
  const lines: string[] = [];
  const original = logger.log;
  logger.log = function capture(this: unknown, level: string, message: string, meta?: Record<string, unknown>) {
    lines.push(`${level} ${message} ${inspect(meta ?? {}, { depth: 8, breakLength: Infinity })}`);
    return original.call(this, level, message, meta);
  };
  return {
    text: () => lines.join('\n'),
    stop: () => {
      logger.log = original;
    },
  };
}

/** Wraps console.* so anything printed during the scan window is captured too (and still printed). */
export function captureConsole(): { text(): string; stop(): void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      lines.push(`${m} ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8, breakLength: Infinity }))).join(' ')}`);
      (originals[i] as (...a: unknown[]) => void).apply(console, args);
    };
  });
  return {
    text: () => lines.join('\n'),
    stop: () => methods.forEach((m, i) => ((console as unknown as Record<string, unknown>)[m] = originals[i])),
  };
}
