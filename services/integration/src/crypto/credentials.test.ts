/* eslint-disable security/detect-non-literal-fs-filename -- a temporary data directory of the test. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CredentialCipher, keyFingerprint, parseCredentialKeys } from './credentials.ts';
import { GENERATED_KEY_FILE, loadCredentialKeys } from './key-source.ts';

const key = () => randomBytes(32);
const b64 = (bytes: Buffer) => bytes.toString('base64');
const silent = pino({ level: 'silent' });

describe('CredentialCipher', () => {
  it('should open what it sealed, and never hold the secret in the sealed value', () => {
    const cipher = new CredentialCipher([{ id: 'k1', key: key() }]);
    const sealed = cipher.seal({ clientSecret: 's3cret-value' }, 'connector-1');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.sealed, 'base64').toString('latin1')).not.toContain('s3cret-value');
    expect(cipher.open(sealed, 'connector-1')).toEqual({ clientSecret: 's3cret-value' });
    // A fresh IV each time: the same secret never seals to the same value.
    expect(cipher.seal({ clientSecret: 's3cret-value' }, 'connector-1').sealed).not.toBe(sealed.sealed);
  });

  it('should refuse a value moved to another connector, a damaged value and an unknown key', () => {
    const cipher = new CredentialCipher([{ id: 'k1', key: key() }]);
    const sealed = cipher.seal({ password: 'pw' }, 'connector-1');
    expect(() => cipher.open(sealed, 'connector-2')).toThrow(/do not open/);
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open({ keyId: 'k1', sealed: b64(bytes) }, 'connector-1')).toThrow(/do not open/);
    expect(() => cipher.open({ ...sealed, keyId: 'k0' }, 'connector-1')).toThrow(/k0 is not configured/);
    expect(() => new CredentialCipher([]).seal({ password: 'pw' }, 'c')).toThrow(/no credentials key/);
  });

  it('should rotate: a new key first seals, the old one still opens, and reseal moves a value to the new key', () => {
    const old = { id: 'old', key: key() };
    const before = new CredentialCipher([old]);
    const sealed = before.seal({ password: 'pw' }, 'c1');
    const fresh = { id: 'new', key: key() };
    const after = new CredentialCipher([fresh, old]);
    expect(after.open(sealed, 'c1')).toEqual({ password: 'pw' });
    const moved = after.reseal(sealed, 'c1');
    expect(moved.keyId).toBe('new');
    expect(after.reseal(moved, 'c1')).toBe(moved);
    // Once moved, the old key can go: the new key alone opens the moved value, not the old one.
    const newOnly = new CredentialCipher([fresh]);
    expect(newOnly.open(moved, 'c1')).toEqual({ password: 'pw' });
    expect(() => newOnly.open(sealed, 'c1')).toThrow(/old is not configured/);
  });
});

describe('parseCredentialKeys', () => {
  it('should read ids and keys separated by commas or lines, the first first, bare keys named by fingerprint', () => {
    const [a, b] = [key(), key()];
    expect(parseCredentialKeys(`2026-12:${b64(a)},\n# retired soon\n${b64(b)}\n`, 'X')).toEqual([
      { id: '2026-12', key: a },
      { id: keyFingerprint(b), key: b },
    ]);
  });

  it('should refuse a key of the wrong length or a bad id, naming the source but not the key', () => {
    const short = b64(randomBytes(16));
    expect(() => parseCredentialKeys(`k:${short}`, 'INTEGRATION_CREDENTIALS_KEYS')).toThrow(
      /INTEGRATION_CREDENTIALS_KEYS: key 1 is not base64 of 32 bytes/,
    );
    const message = (() => {
      try {
        parseCredentialKeys(`k:${short}`, 'X');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/32 bytes/);
    expect(message).not.toContain(short);
    expect(() => parseCredentialKeys(`bad id:${b64(key())}`, 'X')).toThrow(/id/);
    const same = b64(key());
    expect(() => parseCredentialKeys(`${same},${same}`, 'X')).toThrow(/same id/);
  });
});

describe('loadCredentialKeys', () => {
  it('should generate a key once into the data directory (0600) and read the same key afterwards', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'integration-keys-'));
    try {
      const [first, second] = await Promise.all([
        loadCredentialKeys({ dataDir }, silent),
        loadCredentialKeys({ dataDir }, silent),
      ]);
      expect(first).toHaveLength(1);
      expect(second).toEqual(first);
      expect(await loadCredentialKeys({ dataDir }, silent)).toEqual(first);
      const file = join(dataDir, GENERATED_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(b64(first[0]!.key));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should take the keys list first, then one key, then the file, and nothing without a data directory', async () => {
    const [a, b] = [key(), key()];
    expect((await loadCredentialKeys({ keys: `x:${b64(a)}`, key: b64(b) }, silent))[0]!.id).toBe('x');
    expect((await loadCredentialKeys({ key: b64(b) }, silent))[0]!.key).toEqual(b);
    expect(await loadCredentialKeys({}, silent)).toEqual([]);
  });
});
