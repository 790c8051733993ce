// Text PostgreSQL cannot store is refused at the door with a 400, before any handler runs:
// a NUL character (U+0000: not allowed in text or jsonb) and an unpaired UTF-16 surrogate (not
// Unicode; jsonb rejects its escape, text silently turns it into U+FFFD). Otherwise such input
// reaches a query and fails there as a 500, or is stored other than it was sent.
// The key "__proto__" is refused too: JSON.parse keeps it as a key, but any code that copies the
// object (zod's records included) turns it into the copy's prototype, so it would vanish from what
// is stored while the request still succeeded.
// Also refuses a path whose percent-encoding does not decode, which the router reports as a 500.
// Checks the JSON body (keys and values, iteratively: bodies may be nested thousands deep), the
// query string and the path.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../lib/errors/app-error';

// eslint-disable-next-line no-control-regex -- NUL is what Postgres text cannot store
const UNSTORABLE = /\u0000|\p{Cs}/u;

export interface UnstorableFinding {
  /** Dotted path of the value, or of the object holding the key. */
  path: string;
  reason: 'text' | 'proto_key';
}

/** The first string or key below `value` that cannot be stored faithfully, or undefined. */
export function findUnstorableText(value: unknown, root: string): UnstorableFinding | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return { path, reason: 'text' };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}.${i}` });
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (UNSTORABLE.test(key)) return { path: `${path} (a key)`, reason: 'text' };
        if (key === '__proto__') return { path, reason: 'proto_key' };
        stack.push({ value: (v as Record<string, unknown>)[key], path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}

function refusal(found: UnstorableFinding): AppError {
  const message =
    found.reason === 'proto_key'
      ? 'has the key "__proto__", which cannot be stored'
      : 'contains a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which cannot be stored';
  return new AppError('VALIDATION_FAILED', `The request is invalid: ${found.path} ${message}.`, { details: [{ path: found.path, message }] });
}

export function rejectUnstorableText() {
  return (req: Request, _res: Response, next: NextFunction) => {
    for (const segment of req.path.split('/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return next(
          new AppError('VALIDATION_FAILED', 'The URL path is not valid: a percent-encoded sequence does not decode.', {
            details: [{ path: '(path)', message: 'bad percent-encoding' }],
          }),
        );
      }
      if (UNSTORABLE.test(decoded)) return next(refusal({ path: '(path)', reason: 'text' }));
    }
    const found = findUnstorableText(req.query, 'query') ?? findUnstorableText(req.body, '(body)');
    if (found) return next(refusal({ ...found, path: found.path.replace(/^\(body\)\./, '') }));
    next();
  };
}
