import { redactSecrets } from '../../../lib/log/redact';
import { MAX_SECRETS_PER_SCOPE, rememberSecrets, runWithSecretScope, scopedSecrets } from '../../../lib/secrets/secret-scope';

const secret = (i: number) => `scoped-secret-${i}-Zq81mVv0`;

describe('secret scope', () => {
  it('a value is scrubbed in the scope that remembered it, across awaits, and nowhere else', async () => {
    await runWithSecretScope(async () => {
      rememberSecrets([secret(1)]);
      await new Promise((r) => setTimeout(r, 5));
      expect(redactSecrets(`x ${secret(1)} y`)).toBe('x [redacted] y');
    });
    expect(redactSecrets(`x ${secret(1)} y`)).toBe(`x ${secret(1)} y`);
    // Outside any scope, remembering does nothing: there is no process-wide list.
    rememberSecrets([secret(2)]);
    expect(scopedSecrets().size).toBe(0);
  });

  it('concurrent scopes (two tenants’ requests) do not see each other’s values', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = runWithSecretScope(async () => {
      rememberSecrets([secret(10)]);
      await gate;
      return redactSecrets(`${secret(10)} ${secret(11)}`);
    });
    const b = runWithSecretScope(async () => {
      rememberSecrets([secret(11)]);
      await gate;
      return redactSecrets(`${secret(10)} ${secret(11)}`);
    });
    release();
    expect(await a).toBe(`[redacted] ${secret(11)}`);
    expect(await b).toBe(`${secret(10)} [redacted]`);
  });

  it('a nested scope sees its parent’s values; what it adds does not flow back', () => {
    runWithSecretScope(() => {
      rememberSecrets([secret(20)]);
      runWithSecretScope(() => expect(redactSecrets(`${secret(20)} ${secret(21)}`)).toBe('[redacted] [redacted]'), [secret(21)]);
      expect(redactSecrets(secret(21))).toBe(secret(21));
    });
  });

  it('is bounded: at most MAX_SECRETS_PER_SCOPE values, none shorter than 8 or absurdly long', () => {
    runWithSecretScope(() => {
      rememberSecrets(Array.from({ length: 1000 }, (_, i) => secret(100 + i)));
      rememberSecrets(['short', 'x'.repeat(100_000)]);
      expect(scopedSecrets().size).toBe(MAX_SECRETS_PER_SCOPE);
      expect(redactSecrets('short')).toBe('short');
    });
  });
});
