import { sql, type Kysely } from 'kysely';
import { newId } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';

export interface ThrottleLimits {
  /** Failures of one account from one address before that address has to wait. */
  freeFailures: number;
  /** The first wait; each further failure from the address doubles it… */
  backoffBaseSeconds: number;
  /** …up to this. */
  backoffMaxSeconds: number;
  /** The ceiling: failures of one account from all addresses within the window (OWASP ASVS: 100 an hour). */
  failuresPerAccount: number;
  /** How long a failure counts, for the ceiling and for an address's run of failures. */
  accountWindowSeconds: number;
  /** Attempts from one address to any account (one host spraying many accounts). */
  attemptsPerAddress: number;
  addressWindowSeconds: number;
}

/**
 * What a lock holds back: `account-address` one address's tries at one account (growing delays),
 * `account` every address that has failed at the account once the ceiling is reached, `address` one address's
 * tries at any account.
 */
export type LockScope = 'account-address' | 'account' | 'address';

export interface Lock {
  scope: LockScope;
  retryAfterSeconds: number;
  /** The attempts that count toward the lock (for `address`: every attempt from it, failed or not). */
  attempts: number;
}

export interface AddressThrottle {
  address: string;
  failures: number;
  lastFailureAt: Date;
  retryAfterSeconds: number;
}

export interface ThrottleStatus {
  throttled: boolean;
  /** Failures of the account from all addresses in the window (since the last lift). */
  failures: number;
  ceiling: number;
  ceilingReached: boolean;
  /** Addresses with a run of failures at the account, the latest first (at most 50). */
  addresses: AddressThrottle[];
}

const NEVER = sql<Date>`'-infinity'::timestamptz`;

/**
 * Login throttling kept in the database, so every replica of sso counts the same attempts (ADR 14). An
 * address that fails at an account waits, after `freeFailures`, a delay that doubles with each further failure;
 * a success from that address ends its run. Across addresses, once an account has `failuresPerAccount` failures
 * in the window, every address that has failed at it waits until the count falls — an address that has not
 * failed may still try, so the owner is never locked out by someone else's guesses. Unknown usernames are
 * counted alike, so the answers do not reveal which exist. Checks and records are not one atomic step: a
 * burst may overshoot by the requests in flight, which costs an attacker nothing worth having.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly limits: ThrottleLimits,
  ) {}

  /** The lock that holds this account and address back now, if any (the longest wait of those that apply). */
  async check(username: string, address: string): Promise<Lock | undefined> {
    const account = username.toLowerCase();
    const since = await this.#since(account);
    const locks: Lock[] = [];
    const run = await this.#run(account, address, since);
    if (run.failures >= this.limits.freeFailures && run.last) {
      const wait = secondsUntil(run.last.getTime() + this.#delay(run.failures) * 1000);
      if (wait > 0) locks.push({ scope: 'account-address', retryAfterSeconds: wait, attempts: run.failures });
    }
    if (run.failures > 0) {
      const ceiling = await this.#ceiling(account, since);
      if (ceiling) locks.push(ceiling);
    }
    const spray = await this.#spray(address);
    if (spray) locks.push(spray);
    return locks.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
  }

  /** Records an attempt; answers the locks this attempt engaged (each one an audit event). */
  async record(username: string, address: string, succeeded: boolean): Promise<Lock[]> {
    const account = username.toLowerCase();
    await this.db
      .insertInto('loginAttempts')
      .values({ id: newId(), username: account, address, succeeded })
      .execute();
    const engaged: Lock[] = [];
    if (!succeeded) {
      const since = await this.#since(account);
      const run = await this.#run(account, address, since);
      if (run.failures >= this.limits.freeFailures) {
        const delay = this.#delay(run.failures);
        engaged.push({ scope: 'account-address', retryAfterSeconds: delay, attempts: run.failures });
      }
      const ceiling = await this.#ceiling(account, since);
      if (ceiling && ceiling.attempts === this.limits.failuresPerAccount) engaged.push(ceiling);
    }
    const spray = await this.#spray(address);
    if (spray && spray.attempts === this.limits.attemptsPerAddress) engaged.push(spray);
    return engaged;
  }

  /** Who is held back from the account, for an administrator deciding whether to lift the lock. */
  async status(username: string): Promise<ThrottleStatus> {
    const account = username.toLowerCase();
    const since = await this.#since(account);
    const total = await this.#accountFailures(account, since);
    const ceilingReached = total >= this.limits.failuresPerAccount;
    const ceiling = ceilingReached ? await this.#ceiling(account, since) : undefined;
    const runs = await this.db
      .selectFrom('loginAttempts as f')
      .select((eb) => ['f.address', eb.fn.countAll<string>().as('failures'), eb.fn.max('f.at').as('last')])
      .where('f.username', '=', account)
      .where('f.succeeded', '=', false)
      .where('f.at', '>', since)
      .where(({ eb, selectFrom }) =>
        eb(
          'f.at',
          '>',
          selectFrom('loginAttempts as s')
            .select((e) => e.fn.coalesce(e.fn.max('s.at'), NEVER).as('lastSuccess'))
            .whereRef('s.username', '=', 'f.username')
            .whereRef('s.address', '=', 'f.address')
            .where('s.succeeded', '=', true),
        ),
      )
      .groupBy('f.address')
      .orderBy('last', 'desc')
      .limit(50)
      .execute();
    const addresses = runs.map((row) => {
      const failures = Number(row.failures);
      const last = new Date(row.last);
      const backoff =
        failures >= this.limits.freeFailures
          ? secondsUntil(last.getTime() + this.#delay(failures) * 1000)
          : 0;
      return {
        address: row.address,
        failures,
        lastFailureAt: last,
        retryAfterSeconds: Math.max(backoff, ceiling?.retryAfterSeconds ?? 0),
      };
    });
    return {
      throttled: addresses.some((entry) => entry.retryAfterSeconds > 0),
      failures: total,
      ceiling: this.limits.failuresPerAccount,
      ceilingReached,
      addresses,
    };
  }

  /** An administrator lifts the account's lock: its failures so far no longer count, from any address. */
  async lift(username: string, userId: string, actor: string): Promise<void> {
    await this.db
      .insertInto('loginLockLifts')
      .values({ id: newId(), username: username.toLowerCase(), userId, liftedBy: actor })
      .execute();
  }

  /**
   * Deletes the attempts no check can count any more — older than the longer of the two windows, with an hour to
   * spare for clocks — `batchSize` rows per statement; returns how many. Without it the table grows with every
   * sign-in for ever. Lifts stay: one row per administrator's action, and audit keeps them anyway.
   */
  async prune(batchSize = 1000): Promise<number> {
    const keepSeconds = Math.max(this.limits.accountWindowSeconds, this.limits.addressWindowSeconds) + 3600;
    let deleted = 0;
    for (;;) {
      const result = await sql`
        delete from login_attempts where id in (
          select id from login_attempts where at < now() - make_interval(secs => ${keepSeconds})
          limit ${batchSize} for update skip locked)`.execute(this.db);
      const count = Number(result.numAffectedRows ?? 0n);
      deleted += count;
      if (count < batchSize) return deleted;
    }
  }

  /** Failures count from the later of the window's start and the account's last lift. */
  async #since(account: string): Promise<Date> {
    const row = await this.db
      .selectFrom('loginLockLifts')
      .select((eb) => eb.fn.max('liftedAt').as('lifted'))
      .where('username', '=', account)
      .executeTakeFirst();
    const windowStart = Date.now() - this.limits.accountWindowSeconds * 1000;
    const lifted = row?.lifted ? new Date(row.lifted).getTime() : -Infinity;
    return new Date(Math.max(windowStart, lifted));
  }

  /** The address's failures at the account since its last success there (and since `since`). */
  async #run(account: string, address: string, since: Date) {
    const row = await this.db
      .selectFrom('loginAttempts')
      .select((eb) => [eb.fn.countAll<string>().as('failures'), eb.fn.max('at').as('last')])
      .where('username', '=', account)
      .where('address', '=', address)
      .where('succeeded', '=', false)
      .where('at', '>', since)
      .where(({ eb, selectFrom }) =>
        eb(
          'at',
          '>',
          selectFrom('loginAttempts')
            .select((e) => e.fn.coalesce(e.fn.max('at'), NEVER).as('lastSuccess'))
            .where('username', '=', account)
            .where('address', '=', address)
            .where('succeeded', '=', true),
        ),
      )
      .executeTakeFirstOrThrow();
    return { failures: Number(row.failures), last: row.last ? new Date(row.last) : undefined };
  }

  async #accountFailures(account: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('loginAttempts')
      .select((eb) => eb.fn.countAll<string>().as('failures'))
      .where('username', '=', account)
      .where('succeeded', '=', false)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  /** The ceiling's lock, when the account has reached it: it holds until enough failures leave the window. */
  async #ceiling(account: string, since: Date): Promise<Lock | undefined> {
    const failures = await this.#accountFailures(account, since);
    if (failures < this.limits.failuresPerAccount) return undefined;
    // The count falls below the ceiling when the failure at this position (oldest first) leaves the window.
    const leaving = await this.db
      .selectFrom('loginAttempts')
      .select('at')
      .where('username', '=', account)
      .where('succeeded', '=', false)
      .where('at', '>', since)
      .orderBy('at', 'asc')
      .offset(failures - this.limits.failuresPerAccount)
      .limit(1)
      .executeTakeFirstOrThrow();
    const wait = secondsUntil(new Date(leaving.at).getTime() + this.limits.accountWindowSeconds * 1000);
    return { scope: 'account', retryAfterSeconds: Math.max(1, wait), attempts: failures };
  }

  /** Attempts from the address at any account, within its short window. */
  async #spray(address: string): Promise<Lock | undefined> {
    const { attemptsPerAddress, addressWindowSeconds } = this.limits;
    const row = await this.db
      .selectFrom('loginAttempts')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('at').as('oldest')])
      .where('address', '=', address)
      .where('at', '>', sql<Date>`now() - make_interval(secs => ${addressWindowSeconds})`)
      .executeTakeFirstOrThrow();
    const attempts = Number(row.count);
    if (attempts < attemptsPerAddress || !row.oldest) return undefined;
    const wait = secondsUntil(new Date(row.oldest).getTime() + addressWindowSeconds * 1000);
    return { scope: 'address', retryAfterSeconds: Math.max(1, wait), attempts };
  }

  /** The wait after the n-th failure in a run: base, doubling with each failure past the free ones, capped. */
  #delay(failures: number): number {
    const { freeFailures, backoffBaseSeconds, backoffMaxSeconds } = this.limits;
    const doublings = Math.min(failures - freeFailures, 30);
    return Math.min(backoffMaxSeconds, backoffBaseSeconds * 2 ** doublings);
  }
}

/** Whole seconds until a moment, rounded up; 0 when it has passed. */
function secondsUntil(moment: number): number {
  return Math.max(0, Math.ceil((moment - Date.now()) / 1000));
}
