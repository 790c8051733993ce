// Which secret values the work in progress holds, so the scrubber can remove them from what that
// work logs or fails with. A scope is one API request or one activity attempt (AsyncLocalStorage);
// a credential's values enter it when that work decrypts or verifies the credential, and leave
// with it. Nothing is process-wide: one tenant's string can never censor another tenant's text
// (a process-wide list let any "token" a tenant typed redact that text from everyone's logs).
// Bounded: a scope keeps at most MAX_SECRETS_PER_SCOPE values of at most MAX_SECRET_LENGTH.
import { AsyncLocalStorage } from 'node:async_hooks';

export const MAX_SECRETS_PER_SCOPE = 16;
export const MAX_SECRET_LENGTH = 4096;
const MIN_SECRET_LENGTH = 8;

const storage = new AsyncLocalStorage<Set<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * Runs `fn` in a new scope holding `secrets` plus those of the enclosing scope (a nested scope
 * sees its parent's values; what it adds does not flow back to the parent).
 */
export function runWithSecretScope<T>(fn: () => T, secrets: Iterable<string> = []): T {
  const scope = new Set(storage.getStore() ?? []);
  add(scope, secrets);
  return storage.run(scope, fn);
}

/** Adds values to the current scope (no-op outside one: there is no global list). */
export function rememberSecrets(values: Iterable<string>): void {
  const scope = storage.getStore();
  if (scope) add(scope, values);
}

/** The secret values of the current scope. */
export function scopedSecrets(): ReadonlySet<string> {
  return storage.getStore() ?? NONE;
}

function add(scope: Set<string>, values: Iterable<string>): void {
  for (const value of values) {
    if (scope.size >= MAX_SECRETS_PER_SCOPE) return;
    if (value.length >= MIN_SECRET_LENGTH && value.length <= MAX_SECRET_LENGTH) scope.add(value);
  }
}
