// What a fake route returns; the server layer writes it (now, later, or never).

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function textResponse(status: number, body: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}
