import argon2 from 'argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended setting: 19 MiB of memory,
 * two passes, one lane. Each hash embeds its parameters, so raising them later re-hashes on next login.
 */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
}

let decoy: Promise<string> | undefined;

/**
 * A hash of a random password, verified when the username is unknown, so that an unknown user costs the
 * same argon2 work as a wrong password and the answer's timing does not reveal which usernames exist.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}
