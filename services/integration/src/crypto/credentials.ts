import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Type } from '@lessor/service-kit';
import { Value } from 'typebox/value';

/** The secrets of a connector: never returned by the API, never logged, stored sealed only. */
export interface ConnectorCredentials {
  password?: string;
  clientSecret?: string;
}

const Credentials = Type.Object(
  { password: Type.Optional(Type.String()), clientSecret: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** A 256-bit key and the id stored beside what it sealed (so rotation knows which key opens a row). */
export interface CredentialKey {
  id: string;
  key: Buffer;
}

/** What a sealed value is stored as: the key's id, and base64 of iv ‖ tag ‖ ciphertext. */
export interface SealedCredentials {
  keyId: string;
  sealed: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,40}$/;

/** A key given without an id is named by its fingerprint: the same key gets the same id everywhere. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * Keys as the environment gives them: `id:base64` or a bare `base64`, separated by commas or new lines; the
 * first seals, all open. `source` names the variable or file in errors (never the key itself).
 */
export function parseCredentialKeys(text: string, source: string): CredentialKey[] {
  const entries = text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0 && !entry.startsWith('#'));
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? undefined : entry.slice(0, colon);
    const key = Buffer.from(colon === -1 ? entry : entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES)
      throw new Error(`${source}: key ${index + 1} is not base64 of ${KEY_BYTES} bytes`);
    if (id !== undefined && !KEY_ID.test(id))
      throw new Error(`${source}: key ${index + 1} has an id that is not 1–40 of A-Z a-z 0-9 _ . -`);
    return { id: id ?? keyFingerprint(key), key };
  });
  const ids = new Set(keys.map((key) => key.id));
  if (ids.size !== keys.length) throw new Error(`${source}: two keys have the same id`);
  return keys;
}

/** A new random key, as a key file holds it. */
export function generateKeyText(): string {
  return `${randomBytes(KEY_BYTES).toString('base64')}\n`;
}

/**
 * Seals and opens connector credentials with AES-256-GCM (node:crypto). The first key seals; every key opens
 * what it sealed, so a key can be rotated: a new key first, the old one kept until `resealed` has moved every
 * row to the new one. The connector's id is the additional data: a sealed value copied onto another connector
 * does not open.
 */
export class CredentialCipher {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #current: CredentialKey | undefined;

  constructor(keys: readonly CredentialKey[]) {
    this.#keys = new Map(keys.map((key) => [key.id, key.key]));
    this.#current = keys[0];
  }

  /** The id of the key that seals; undefined when no key is configured (credentials cannot be stored). */
  get currentKeyId(): string | undefined {
    return this.#current?.id;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  seal(credentials: ConnectorCredentials, connectorId: string): SealedCredentials {
    const current = this.#current;
    if (!current) throw new Error('no credentials key is configured');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, current.key, iv);
    cipher.setAAD(Buffer.from(connectorId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return {
      keyId: current.id,
      sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64'),
    };
  }

  open(value: SealedCredentials, connectorId: string): ConnectorCredentials {
    const key = this.#keys.get(value.keyId);
    if (!key) throw new Error(`the credentials key ${value.keyId} is not configured`);
    const bytes = Buffer.from(value.sealed, 'base64');
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(connectorId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return Value.Parse(Credentials, JSON.parse(plain));
    } catch {
      // GCM's tag check failed: another key under the same id, another connector's value, or a damaged row.
      throw new Error(`the credentials sealed with key ${value.keyId} do not open`);
    }
  }

  /** The value sealed again with the current key; the same value when it is sealed with it already. */
  reseal(value: SealedCredentials, connectorId: string): SealedCredentials {
    if (value.keyId === this.#current?.id) return value;
    return this.seal(this.open(value, connectorId), connectorId);
  }
}
