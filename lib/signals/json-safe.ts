// Signal payloads are stored as JSONB and replayed for 30 days, so they must be plain JSON
// that round-trips exactly. Anything JSON.stringify would silently drop or mangle is refused.
import { AppError } from '../errors/app-error';

export const MAX_SIGNAL_PAYLOAD_BYTES = 16 * 1024;
export const MAX_SIGNAL_PAYLOAD_DEPTH = 16;

function refuse(path: string, problem: string): never {
  throw new AppError('VALIDATION_FAILED', `Signal payload at ${path || '(root)'} ${problem}.`, {
    details: [{ path: path || '(root)', message: problem }],
  });
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function check(value: unknown, path: string, depth: number, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(path, `is ${value}; only finite numbers are JSON`);
      return;
    case 'undefined':
      return refuse(path, 'is undefined; use null or leave the key out');
    case 'function':
      return refuse(path, 'is a function');
    case 'symbol':
      return refuse(path, 'is a symbol');
    case 'bigint':
      refuse(path, 'is a BigInt; send it as a string');
  }
  if (value === null) return;
  const obj = value as object;
  if (depth > MAX_SIGNAL_PAYLOAD_DEPTH) refuse(path, `is nested deeper than ${MAX_SIGNAL_PAYLOAD_DEPTH} levels`);
  if (seen.has(obj)) refuse(path, 'is a circular reference');
  seen.add(obj);
  if (Array.isArray(obj)) {
    obj.forEach((item, i) => check(item, `${path}[${i}]`, depth + 1, seen));
  } else {
    if (!isPlainObject(obj)) {
      refuse(path, `is an instance of ${obj.constructor?.name ?? 'a class'}; convert it to plain JSON (e.g. a Date to an ISO string)`);
    }
    if (Object.getOwnPropertySymbols(obj).length > 0) refuse(path, 'has symbol keys');
    for (const [key, child] of Object.entries(obj)) check(child, path ? `${path}.${key}` : key, depth + 1, seen);
  }
  seen.delete(obj);
}

/** True when check() would accept `value` (a cycle runs into the depth limit, so it is refused too). */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_SIGNAL_PAYLOAD_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Throws AppError VALIDATION_FAILED naming the offending path; returns the payload's size in bytes. */
export function assertJsonSafePayload(payload: unknown): number {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    refuse('', 'must be a JSON object');
  }
  // The plain walk first (no paths, no cycle set: almost every payload passes); only a payload it
  // refuses is walked again by check() to name the offending path.
  if (!isPlainJson(payload, 0)) check(payload, '', 0, new Set());
  const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
  if (bytes > MAX_SIGNAL_PAYLOAD_BYTES) {
    refuse('', `is ${bytes} bytes; the limit is ${MAX_SIGNAL_PAYLOAD_BYTES} bytes`);
  }
  return bytes;
}
