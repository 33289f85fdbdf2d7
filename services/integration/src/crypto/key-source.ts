/* eslint-disable security/detect-non-literal-fs-filename -- the key file is the operator's setting or the data directory. */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { generateKeyText, parseCredentialKeys, type CredentialKey } from './credentials.ts';

/** The key file `npm start` writes into the data directory on the first start (mode 0600). */
export const GENERATED_KEY_FILE = 'integration-credentials.key';

export interface CredentialKeySettings {
  /** `id:base64,…` — the first seals, the others only open (rotation). */
  keys?: string | undefined;
  /** One base64 key (its id: its fingerprint). */
  key?: string | undefined;
  /** A file holding keys as `keys` does, one per line. */
  keyFile?: string | undefined;
  /** The data directory of the embedded default (`npm start`), where a key is generated once; unset on PostgreSQL. */
  dataDir?: string | undefined;
}

/**
 * The credentials keys, from the first source set: `INTEGRATION_CREDENTIALS_KEYS`, `INTEGRATION_CREDENTIALS_KEY`,
 * `INTEGRATION_CREDENTIALS_KEY_FILE`, else (embedded only) a key generated once into the data directory. None on
 * PostgreSQL: the service starts, and refuses to store credentials until a key is set.
 */
export async function loadCredentialKeys(
  settings: CredentialKeySettings,
  log: Logger,
): Promise<CredentialKey[]> {
  if (settings.keys) return parseCredentialKeys(settings.keys, 'INTEGRATION_CREDENTIALS_KEYS');
  if (settings.key) return parseCredentialKeys(settings.key, 'INTEGRATION_CREDENTIALS_KEY');
  if (settings.keyFile)
    return parseCredentialKeys(await readFile(settings.keyFile, 'utf8'), 'INTEGRATION_CREDENTIALS_KEY_FILE');
  if (settings.dataDir === undefined) {
    log.warn(
      'no credentials key (INTEGRATION_CREDENTIALS_KEY, _KEYS or _KEY_FILE): connectors with a password or ' +
        'client secret are refused until one is set',
    );
    return [];
  }
  const file = join(settings.dataDir, GENERATED_KEY_FILE);
  await mkdir(settings.dataDir, { recursive: true });
  // Written aside, then linked into place: of two processes starting at once on one data directory, one key
  // wins whole, and neither reads a half-written file.
  const aside = `${file}.${randomUUID()}`;
  await writeFile(aside, generateKeyText(), { mode: 0o600, flag: 'wx' });
  try {
    await link(aside, file);
    log.info({ file }, 'generated the credentials key of integration');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(aside);
  }
  return parseCredentialKeys(await readFile(file, 'utf8'), file);
}
