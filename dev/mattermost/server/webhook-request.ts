// Decoding of an incoming-webhook payload, with Go's quirks as Mattermost has them
// (IncomingWebhookRequestFromJSON): only the first JSON value counts, keys match
// case-insensitively, null leaves a field unset, a type mismatch fails the whole decode, and a
// failed decode is retried once after escaping raw newlines/tabs in some string values.

export interface IncomingWebhookRequest {
  text: string;
  username: string;
  iconUrl: string;
  channelName: string;
  props: Record<string, unknown> | null;
  attachments: unknown[] | null;
  type: string;
  iconEmoji: string;
  priority: Record<string, unknown> | null;
}

export function emptyWebhookRequest(): IncomingWebhookRequest {
  return { text: '', username: '', iconUrl: '', channelName: '', props: null, attachments: null, type: '', iconEmoji: '', priority: null };
}

type FieldKind = 'string' | 'object' | 'array';
const JSON_FIELDS: Array<[string, keyof IncomingWebhookRequest, FieldKind]> = [
  ['text', 'text', 'string'],
  ['username', 'username', 'string'],
  ['icon_url', 'iconUrl', 'string'],
  ['channel', 'channelName', 'string'],
  ['props', 'props', 'object'],
  ['attachments', 'attachments', 'array'],
  ['type', 'type', 'string'],
  ['icon_emoji', 'iconEmoji', 'string'],
  ['priority', 'priority', 'object'],
];

/** End index (exclusive) of the JSON value starting at `start`, or -1 when it does not end. */
function firstValueEnd(text: string, start: number): number {
  const c = text[start];
  if (c === '{' || c === '[') {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  if (c === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return -1;
  }
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, start)) return start + literal.length;
  const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(start, start + 64));
  return number ? start + number[0].length : -1;
}

function decodeFirstValue(text: string): { ok: true; value: unknown } | { ok: false } {
  const start = text.search(/\S/);
  if (start === -1) return { ok: false }; // EOF
  const end = firstValueEnd(text, start);
  if (end === -1) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text.slice(start, end)) };
  } catch {
    return { ok: false };
  }
}

function stringifyFieldValues(attachments: unknown[]): unknown[] {
  // Mattermost converts attachments[].fields[].value to strings.
  return attachments.map((a) => {
    if (!a || typeof a !== 'object' || !Array.isArray((a as { fields?: unknown }).fields)) return a;
    const fields = (a as { fields: unknown[] }).fields.map((f) => {
      if (!f || typeof f !== 'object' || !('value' in f)) return f;
      const value = f.value;
      return {
        ...f,
        value:
          typeof value === 'string'
            ? value
            : value === null || value === undefined
              ? ''
              : typeof value === 'number' || typeof value === 'boolean'
                ? String(value)
                : JSON.stringify(value),
      };
    });
    return { ...a, fields };
  });
}

function toRequest(value: unknown): IncomingWebhookRequest | null {
  const req = emptyWebhookRequest();
  if (value === null) return req; // JSON null decodes to an empty request
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    const field = JSON_FIELDS.find(([name]) => name === key) ?? JSON_FIELDS.find(([name]) => name === lower);
    if (!field || raw === null) continue;
    const [, prop, kind] = field;
    if (kind === 'string') {
      if (typeof raw !== 'string') return null;
      (req[prop] as string) = raw;
    } else if (kind === 'object') {
      if (typeof raw !== 'object' || Array.isArray(raw)) return null;
      (req[prop] as Record<string, unknown>) = raw as Record<string, unknown>;
    } else {
      if (!Array.isArray(raw) || raw.some((a) => a !== null && (typeof a !== 'object' || Array.isArray(a)))) return null;
      req.attachments = stringifyFieldValues(raw);
    }
  }
  if (req.priority) {
    const p = req.priority;
    if (
      ('priority' in p && p.priority !== null && typeof p.priority !== 'string') ||
      ('requested_ack' in p && p.requested_ack !== null && typeof p.requested_ack !== 'boolean') ||
      ('persistent_notifications' in p && p.persistent_notifications !== null && typeof p.persistent_notifications !== 'boolean')
    ) {
      return null;
    }
  }
  return req;
}

const ESCAPABLE = /"(text|fallback|pretext|author_name|title|value)"\s*:\s*"(\\"|[^"])*"/gs;

export function escapeControlChars(text: string): string {
  return text.replace(ESCAPABLE, (m) => m.replace(/\n/g, '\\n').replace(/\t/g, '\\t'));
}

/** null when Mattermost would answer 400 (parse_data / decode). */
export function decodeWebhookJson(body: string): IncomingWebhookRequest | null {
  const attempt = (text: string): IncomingWebhookRequest | null => {
    const decoded = decodeFirstValue(text);
    return decoded.ok ? toRequest(decoded.value) : null;
  };
  return attempt(body) ?? attempt(escapeControlChars(body));
}

// gorilla/schema decodes multipart fields by Go field name, case-insensitively; it refuses
// unknown keys. Only these plain string fields can be set this way.
const FORM_FIELDS: Record<string, keyof IncomingWebhookRequest> = {
  text: 'text',
  username: 'username',
  iconurl: 'iconUrl',
  channelname: 'channelName',
  type: 'type',
  iconemoji: 'iconEmoji',
};

export function decodeWebhookFormFields(fields: Map<string, string[]>): IncomingWebhookRequest | null {
  const req = emptyWebhookRequest();
  for (const [key, values] of fields) {
    const prop = FORM_FIELDS[key.toLowerCase()];
    if (!prop) return null;
    (req[prop] as string) = values[values.length - 1] ?? '';
  }
  return req;
}
