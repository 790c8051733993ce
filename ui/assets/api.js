// @ts-check
// The browser's one way to call the JSON API: same-origin fetch with the session cookie, the
// session's CSRF token on every state-changing request, and every failure turned into an
// ApiError with the API's stable code, a message safe to show, and per-field details.

export class ApiError extends Error {
  /** @param {{ status: number, code: string, message: string, details?: any }} init */
  constructor({ status, code, message, details }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Per-field problems as { field → message } (the API's details: [{ path, message }]). */
  fieldErrors() {
    const out = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details) if (d && typeof d.path === 'string') out[d.path] ??= d.message;
    }
    return out;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let session = null;
let sessionPromise = null;

async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && session?.csrf_token) headers['x-csrf-token'] = session.csrf_token;
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK', message: 'FleetPrompt could not be reached. Check your connection and try again.' });
  }
  if (res.status === 204) return null;
  let json = null;
  try {
    json = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const e = json?.error ?? {};
    if (res.status === 401 && !path.startsWith('/api/auth/')) {
      // The session ended (expired, or signed out elsewhere): sign in again, then come back.
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
    }
    const retryAfter = res.headers.get('retry-after');
    throw new ApiError({
      status: res.status,
      code: e.code ?? 'HTTP_' + res.status,
      message: e.message ?? `The request failed (HTTP ${res.status}).`,
      details: e.details ?? (retryAfter ? { retry_after_seconds: Number(retryAfter) } : undefined),
    });
  }
  return json;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body = {}) => call('POST', path, body),
  put: (path, body = {}) => call('PUT', path, body),
  del: (path) => call('DELETE', path),
};

/** The signed-in session ({ user, memberships, csrf_token }) or null. */
export async function loadSession() {
  if (session) return session;
  sessionPromise ??= call('GET', '/api/auth/session')
    .then((s) => (session = s))
    .catch((err) => {
      sessionPromise = null;
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    });
  return sessionPromise;
}

export async function login(email, password) {
  session = await call('POST', '/api/auth/login', { email, password });
  return session;
}

export async function logout() {
  try {
    await call('POST', '/api/auth/logout');
  } finally {
    session = null;
    sessionPromise = null;
  }
}

/** The session, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireSession() {
  const s = await loadSession();
  if (!s) {
    const next = location.pathname + location.search;
    location.assign('/login?next=' + encodeURIComponent(next));
    return new Promise(() => {}); // the page is going away
  }
  return s;
}

const TENANT_KEY = 'fleetprompt.tenant';

/** The organisation the pages work in: the remembered one if still a member, else the first. */
export function currentMembership(s) {
  const wanted = localStorage.getItem(TENANT_KEY);
  return s.memberships.find((m) => m.tenant_slug === wanted) ?? s.memberships[0] ?? null;
}

export function rememberTenant(slug) {
  localStorage.setItem(TENANT_KEY, slug);
}

/** /api/tenants/<slug><rest> */
export function tenantPath(membership, rest) {
  return `/api/tenants/${encodeURIComponent(membership.tenant_slug)}${rest}`;
}

export function canManage(membership) {
  return membership?.role === 'owner' || membership?.role === 'admin';
}
