// @ts-check
// Sign-in page: email + password → session cookie, then back to where the person was going.
import { ApiError, loadSession, login } from '../api.js';
import { $, busy, message, showFieldErrors } from '../dom.js';

/**
 * Where to go after signing in: `next` only when, parsed as a URL against this page's origin the
 * way the browser will parse it, it stays on this origin. Tabs, CR and LF (which browsers strip
 * from URLs, so "/\t/evil.example" becomes "//evil.example"), backslashes (read as "/") and any
 * other control character refuse it outright.
 */
function nextPath() {
  const fallback = '/marketplace';
  const next = new URLSearchParams(location.search).get('next') ?? '';
  // eslint-disable-next-line no-control-regex -- control characters in ?next= are refused on purpose
  if (!next.startsWith('/') || /[\u0000-\u001F\u007F\\]/.test(next)) return fallback;
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== location.origin || url.pathname.startsWith('/login')) return fallback;
  return url.pathname + url.search + url.hash;
}

async function main() {
  const form = $('#login-form');
  const box = $('#login-message');
  if (await loadSession().catch(() => null)) {
    location.replace(nextPath());
    return;
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = form.email.value.trim();
    const password = form.password.value;
    if (!email || !password) {
      message(box, 'err', 'Enter your email and password.');
      (email ? form.password : form.email).focus();
      return;
    }
    await busy($('#login-submit'), 'Signing in…', async () => {
      try {
        await login(email, password);
        message(box, 'ok', 'Signed in. Opening FleetPrompt…');
        location.assign(nextPath());
      } catch (err) {
        const text = err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? 'Check the highlighted field.' : err.message;
        message(box, 'err', text);
        if (!showFieldErrors(form, err)) form.password.select();
      }
    });
  });
}

main();
