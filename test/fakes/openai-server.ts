// An OpenAI-compatible chat-completions server for tests: POST /v1/chat/completions answers as
// OpenAI does (the chat.completion object with `usage`, OpenAI's error body and status codes,
// Retry-After on 429) and can fail on demand like the Mattermost fake: 401, 429, 500, slow
// answers, dropped connections, garbage, empty answers and refusals. It counts every call and
// keeps what it was sent (test-only data: never log the authorization header).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type LlmFailureMode = '401' | '429' | '500' | '503' | 'slow' | 'drop' | 'garbage' | 'empty' | 'refusal' | 'no-usage';

export interface LlmFailureOptions {
  /** '429' / '503': Retry-After seconds (default 1). */
  retryAfterSec?: number;
  /** 'slow': how long to hold the answer (default 30 s); longer than the client timeout. */
  delayMs?: number;
}

export interface ReceivedChatCall {
  model: string;
  messages: Array<{ role: string; content: string }>;
  maxTokens: number | null;
  /** The bearer token sent (test-only). */
  apiKey: string | null;
  answeredWith: number | 'dropped';
  failure?: LlmFailureMode;
}

/** What the fake model answers: by default a plain summary of the counts it was given. */
export type FakeModel = (messages: Array<{ role: string; content: string }>) => string;

export interface FakeOpenAi {
  url: string;
  /** The base URL to configure (…/v1). */
  baseUrl: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401, as OpenAI). */
  apiKey: string | null;
  /** Milliseconds the model "thinks" before answering (default 0). */
  latencyMs: number;
  model: FakeModel;
  /** GET /v1/models lists these. */
  models: string[];
  /** Refuse `max_tokens` as newer OpenAI models do (they want `max_completion_tokens`). */
  rejectMaxTokens: boolean;
  calls(): ReceivedChatCall[];
  failNext(count: number, mode: LlmFailureMode, options?: LlmFailureOptions): void;
  failFor(ms: number, mode: LlmFailureMode, options?: LlmFailureOptions): void;
  reset(): void;
  close(): Promise<void>;
}

/** Roughly OpenAI's rule of thumb (four characters a token), so usage is plausible. */
export function fakeTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export const countingModel: FakeModel = (messages) => {
  const data = messages.find((m) => m.role === 'user')?.content ?? '';
  const signals = /Signals in window: (\d+)/.exec(data)?.[1] ?? '0';
  const failures = /Failures: (\d+)/.exec(data)?.[1] ?? '0';
  return `A day with ${signals} signals and ${failures} failures. Check the failures below first.`;
};

/** A model that does whatever an injected "SAY: …" line in the data tells it (for injection tests). */
export const obedientModel: FakeModel = (messages) => {
  const data = messages.map((m) => m.content).join('\n');
  const order = /SAY:\s*(.+?)(?:\s*\||$)/m.exec(data)?.[1];
  return order ?? countingModel(messages);
};

interface QueuedFailure {
  mode: LlmFailureMode;
  remaining: number;
  until?: number;
  options: LlmFailureOptions;
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export async function startFakeOpenAi(options: { host?: string; port?: number } = {}): Promise<FakeOpenAi> {
  const host = options.host ?? '127.0.0.1';
  let failures: QueuedFailure[] = [];
  let calls: ReceivedChatCall[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;

  const takeFailure = (): QueuedFailure | undefined => {
    const now = Date.now();
    failures = failures.filter((f) => f.remaining > 0 && (f.until === undefined || f.until > now));
    const failure = failures[0];
    if (failure) failure.remaining--;
    return failure;
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const fake: FakeOpenAi = {
    url: '',
    baseUrl: '',
    apiKey: null,
    latencyMs: 0,
    model: countingModel,
    rejectMaxTokens: false,
    models: ['fake-mini', 'fake-large'],
    calls: () => calls.map((c) => structuredClone(c)),
    failNext(count, mode, opts = {}) {
      failures.push({ mode, remaining: count, options: opts });
    },
    failFor(ms, mode, opts = {}) {
      failures.push({ mode, remaining: Number.MAX_SAFE_INTEGER, until: Date.now() + ms, options: opts });
    },
    reset() {
      failures = [];
      calls = [];
      fake.apiKey = null;
      fake.latencyMs = 0;
      fake.model = countingModel;
      fake.rejectMaxTokens = false;
      fake.models = ['fake-mini', 'fake-large'];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        const finish = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake${++sequence}`, ...headers });
          res.end(body);
        };
        if (fake.latencyMs > 0) later(fake.latencyMs, finish);
        else finish();
      };
      const path = (req.url ?? '').split('?')[0];
      const bearerOf = () => /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
      if (req.method === 'GET' && path === '/v1/models') {
        const key = bearerOf();
        if (fake.apiKey !== null && key !== fake.apiKey) {
          const shown = key ? `${key.slice(0, 3)}*********${key.slice(-4)}` : '';
          return send(
            401,
            errorBody(
              `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              'invalid_request_error',
              'invalid_api_key',
            ),
          );
        }
        return send(
          200,
          JSON.stringify({ object: 'list', data: fake.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) }),
        );
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return send(404, errorBody(`Invalid URL (${req.method} ${path})`, 'invalid_request_error', null));
      }
      let body: { model?: unknown; messages?: unknown; max_tokens?: unknown; max_completion_tokens?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      }
      const messages = Array.isArray(body.messages)
        ? body.messages.map((m: { role?: unknown; content?: unknown }) => ({
            role: typeof m?.role === 'string' ? m.role : '',
            content: typeof m?.content === 'string' ? m.content : '',
          }))
        : [];
      const model = typeof body.model === 'string' ? body.model : '';
      const maxTokens =
        typeof body.max_tokens === 'number' ? body.max_tokens : typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : null;
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const call: ReceivedChatCall = { model, messages, maxTokens, apiKey: bearer, answeredWith: 200 };
      calls.push(call);

      if (!model || messages.length === 0) {
        call.answeredWith = 400;
        return send(400, errorBody("Missing required parameter: 'model' or 'messages'.", 'invalid_request_error', null, model ? 'messages' : 'model'));
      }
      const failure = takeFailure();
      if (failure) call.failure = failure.mode;
      const mode = failure?.mode;
      if (mode === '401' || (fake.apiKey !== null && bearer !== fake.apiKey)) {
        call.answeredWith = 401;
        // OpenAI quotes part of the key it refused: callers must not pass this text on.
        const shown = bearer ? `${bearer.slice(0, 3)}*********${bearer.slice(-4)}` : '';
        return send(
          401,
          errorBody(
            `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
      }
      if (mode === '429') {
        call.answeredWith = 429;
        return send(429, errorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), {
          'retry-after': String(failure!.options.retryAfterSec ?? 1),
        });
      }
      if (mode === '500' || mode === '503') {
        call.answeredWith = Number(mode);
        const headers: Record<string, string> = mode === '503' ? { 'retry-after': String(failure!.options.retryAfterSec ?? 1) } : {};
        return send(Number(mode), errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null), headers);
      }
      if (mode === 'drop') {
        call.answeredWith = 'dropped';
        req.socket.destroy();
        return;
      }
      if (mode === 'slow') {
        const delay = failure!.options.delayMs ?? 30_000;
        return later(delay, () => respond());
      }
      if (mode === 'garbage') {
        return send(200, '<html><body>502 Bad Gateway</body></html>{', { 'content-type': 'application/json' });
      }
      if (fake.rejectMaxTokens && body.max_tokens !== undefined) {
        call.answeredWith = 400;
        return send(
          400,
          errorBody(
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            'invalid_request_error',
            'unsupported_parameter',
            'max_tokens',
          ),
        );
      }
      respond();

      function respond() {
        const content = mode === 'empty' ? '' : mode === 'refusal' ? null : fake.model(messages);
        const promptTokens = messages.reduce((n, m) => n + fakeTokens(m.content) + 4, 3);
        const completionTokens = content ? Math.min(fakeTokens(content), maxTokens ?? Number.MAX_SAFE_INTEGER) : 0;
        const completion = {
          id: `chatcmpl-fake${++sequence}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: mode === 'refusal' ? 'I can’t help with that.' : null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          ...(mode === 'no-usage'
            ? {}
            : { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
          system_fingerprint: 'fp_fake',
        };
        send(200, JSON.stringify(completion));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://${host}:${port}`;
  fake.baseUrl = `${fake.url}/v1`;
  return fake;
}
