// Go's url.ParseQuery, strict as net/http's ParseForm is: a bad %-escape or a ";" separator is
// an error (values parsed so far are still returned).

export interface ParsedForm {
  values: Map<string, string[]>;
  error?: string;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

export function parseUrlEncoded(text: string): ParsedForm {
  const values = new Map<string, string[]>();
  let error: string | undefined;
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    if (piece.includes(';')) {
      error ??= 'invalid semicolon separator in query';
      continue;
    }
    const eq = piece.indexOf('=');
    const key = decode(eq === -1 ? piece : piece.slice(0, eq));
    const value = decode(eq === -1 ? '' : piece.slice(eq + 1));
    if (key === null || value === null) {
      error ??= 'invalid URL escape';
      continue;
    }
    const list = values.get(key) ?? [];
    list.push(value);
    values.set(key, list);
  }
  return error ? { values, error } : { values };
}
