import { sql, type Kysely } from 'kysely';
import { newId } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';

export interface ThrottleLimits {
  failuresPerAccount: number;
  accountWindowSeconds: number;
  attemptsPerAddress: number;
  addressWindowSeconds: number;
}

/**
 * Login rate limits kept in the database, so every replica of sso counts the same attempts: failures per
 * account (slows password guessing against one user, counted for unknown usernames too so a limit does
 * not reveal which exist) and attempts per address (slows one host spraying many accounts).
 * Checks and records are not one atomic step: a burst may overshoot a limit by the number of requests
 * in flight, which costs an attacker nothing worth having.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly limits: ThrottleLimits,
  ) {}

  /** Seconds until a login from this account and address may be tried again; 0 when it may now. */
  async retryAfterSeconds(username: string, address: string): Promise<number> {
    const account = username.toLowerCase();
    const { failuresPerAccount, accountWindowSeconds, attemptsPerAddress, addressWindowSeconds } =
      this.limits;
    // Failures since the account's last success within the window; the oldest decides when one expires.
    const failures = await this.db
      .selectFrom('loginAttempts')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('at').as('oldest')])
      .where('username', '=', account)
      .where('succeeded', '=', false)
      .where('at', '>', sql<Date>`now() - make_interval(secs => ${accountWindowSeconds})`)
      .where(({ eb, selectFrom }) =>
        eb(
          'at',
          '>',
          selectFrom('loginAttempts')
            .select((e) =>
              e.fn.coalesce(e.fn.max('at'), sql<Date>`'-infinity'::timestamptz`).as('lastSuccess'),
            )
            .where('username', '=', account)
            .where('succeeded', '=', true),
        ),
      )
      .executeTakeFirstOrThrow();
    let wait = 0;
    if (Number(failures.count) >= failuresPerAccount && failures.oldest) {
      wait = Math.max(wait, secondsUntil(new Date(failures.oldest), accountWindowSeconds));
    }
    const attempts = await this.db
      .selectFrom('loginAttempts')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('at').as('oldest')])
      .where('address', '=', address)
      .where('at', '>', sql<Date>`now() - make_interval(secs => ${addressWindowSeconds})`)
      .executeTakeFirstOrThrow();
    if (Number(attempts.count) >= attemptsPerAddress && attempts.oldest) {
      wait = Math.max(wait, secondsUntil(new Date(attempts.oldest), addressWindowSeconds));
    }
    return wait;
  }

  async record(username: string, address: string, succeeded: boolean): Promise<void> {
    await this.db
      .insertInto('loginAttempts')
      .values({ id: newId(), username: username.toLowerCase(), address, succeeded })
      .execute();
  }
}

function secondsUntil(oldest: Date, windowSeconds: number): number {
  return Math.max(1, Math.ceil((oldest.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
}
