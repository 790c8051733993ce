// Sign-in page: email + password → session cookie, then back to where the person was going.
import { ApiError, loadSession, login } from '../api.js';
import { $, busy, message, showFieldErrors } from '../dom.js';

/** Only a path on this site (never //other.host or a full URL). */
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  return /^\/(?!\/)[^\\]*$/.test(next) && !next.startsWith('/login') ? next : '/marketplace';
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
