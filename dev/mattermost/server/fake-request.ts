// A fully read request, as the fake's routes see it.
import type { IncomingHttpHeaders } from 'node:http';

export interface FakeRequest {
  method: string;
  /** Path and query as sent (RequestURI). */
  rawUrl: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** At most the server's body limit (MaximumPayloadSizeBytes + 512). */
  body: Buffer;
  /** The client sent more than the limit (Go's MaxBytesReader would have failed the read). */
  bodyTooLarge: boolean;
}

export function header(req: FakeRequest, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
