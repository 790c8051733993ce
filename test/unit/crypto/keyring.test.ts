import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyringEntry, KeyringError, loadOrCreateDevKeyring, parseKeyring } from '../../../lib/crypto/keyring';

const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyringError);
    return (err as KeyringError).problems;
  }
  throw new Error('expected a KeyringError');
}

describe('parseKeyring', () => {
  it('parses entries and makes the last one active by default', () => {
    const ring = parseKeyring(`k1:${key(1)}, k2:${key(2)}`);
    expect([...ring.keys.keys()]).toEqual(['k1', 'k2']);
    expect(ring.activeKeyId).toBe('k2');
    expect(ring.keys.get('k1')).toEqual(Buffer.alloc(32, 1));
  });

  it('honours an explicit active key id', () => {
    expect(parseKeyring(`k1:${key(1)},k2:${key(2)}`, 'k1').activeKeyId).toBe('k1');
  });

  it('reports one problem per bad entry', () => {
    const problems = problemsOf(() => parseKeyring(`k1:${key(1, 16)},bad id:${key(2)},k3:not*base64,,${key(4)},k1:${key(5)}`));
    expect(problems).toEqual([
      'entry 1 (key id "k1"): the key is 16 bytes, expected 32',
      'entry 2 has an invalid key id (1-32 characters of A-Z a-z 0-9 _ -)',
      'entry 3 (key id "k3"): the key is not valid base64',
      'entry 4 is empty (stray comma?)',
      'entry 5 has no "keyId:" prefix',
      'entry 6: key id "k1" is listed twice',
    ]);
  });

  it('rejects an empty keyring, a too-long id and an unknown active id', () => {
    expect(problemsOf(() => parseKeyring('  '))).toHaveLength(1);
    expect(problemsOf(() => parseKeyring(`${'x'.repeat(33)}:${key(1)}`))).toHaveLength(1);
    expect(problemsOf(() => parseKeyring(`k1:${key(1)}`, 'k9'))).toEqual(['the active key id "k9" is not in the keyring']);
  });

  it('never prints key material in its messages', () => {
    const secretish = key(7, 31);
    const err = (() => {
      try {
        parseKeyring(`k1:${secretish},${key(9)}`);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected failure');
    })();
    expect(err.message).not.toContain(secretish);
    expect(err.message).not.toContain(key(9));
    expect(err.message).not.toContain(secretish.slice(0, 12));
  });
});

describe('generateKeyringEntry', () => {
  it('returns a fresh parseable 32-byte key each call', () => {
    const a = generateKeyringEntry('k-2026');
    const b = generateKeyringEntry('k-2026');
    expect(a).not.toBe(b);
    expect(parseKeyring(a).keys.get('k-2026')).toHaveLength(32);
  });

  it('rejects an invalid key id', () => {
    expect(() => generateKeyringEntry('no spaces')).toThrow(KeyringError);
  });
});

describe('loadOrCreateDevKeyring', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fp-keyring-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file on first start and reuses it afterwards', () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = loadOrCreateDevKeyring(dataDir);
    const file = join(dataDir, 'encryption-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(parseKeyring(first).keys.size).toBe(1);
    expect(loadOrCreateDevKeyring(dataDir)).toBe(first);
  });

  it('tightens loose permissions and refuses a corrupt file', () => {
    const file = join(dir, 'encryption-keys');
    writeFileSync(file, `k1:${key(1)}\n`);
    chmodSync(file, 0o644);
    expect(loadOrCreateDevKeyring(dir)).toBe(`k1:${key(1)}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'k1:short');
    expect(() => loadOrCreateDevKeyring(dir)).toThrow(KeyringError);
  });
});
