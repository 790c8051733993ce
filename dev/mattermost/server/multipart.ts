// A small multipart/form-data reader: enough for webhook senders that post form fields.
// File parts are skipped (Mattermost decodes only the value fields into the request).

export type MultipartResult = { ok: true; fields: Map<string, string[]> } | { ok: false; reason: string };

export function parseMultipart(body: Buffer, boundary: string | undefined): MultipartResult {
  if (!boundary) return { ok: false, reason: 'no multipart boundary param in Content-Type' };
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const first = text.indexOf(delimiter);
  if (first === -1) return { ok: false, reason: 'multipart: NextPart: EOF' };
  const fields = new Map<string, string[]>();
  let cursor = first + delimiter.length;
  for (;;) {
    if (text.startsWith('--', cursor)) return { ok: true, fields }; // closing delimiter
    if (!text.startsWith('\r\n', cursor)) return { ok: false, reason: 'multipart: malformed delimiter line' };
    cursor += 2;
    const headerEnd = text.indexOf('\r\n\r\n', cursor);
    if (headerEnd === -1) return { ok: false, reason: 'multipart: malformed part headers' };
    const headers = text.slice(cursor, headerEnd).split('\r\n');
    const next = text.indexOf(`\r\n${delimiter}`, headerEnd + 4);
    if (next === -1) return { ok: false, reason: 'multipart: NextPart: unexpected EOF' };
    const content = Buffer.from(text.slice(headerEnd + 4, next), 'latin1').toString('utf8');
    cursor = next + 2 + delimiter.length;

    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const isFile = /;\s*filename=/i.test(disposition);
    if (name === undefined || isFile) continue;
    const list = fields.get(name) ?? [];
    list.push(content);
    fields.set(name, list);
  }
}
