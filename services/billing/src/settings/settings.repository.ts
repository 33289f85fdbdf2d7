import { sql, type Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { BillingDatabase } from '../database.ts';

export interface Setting<T> {
  value: T;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * Settings kept as data, one JSON document per key with a version. A key never written reads as the code's
 * default at version 1; the first change writes version 2.
 */
export class SettingsRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  async read<T>(key: string, fallback: T): Promise<Setting<T>> {
    const row = await this.db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
    return row
      ? { value: row.value as T, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy }
      : { value: fallback, version: 1, updatedAt: null, updatedBy: null };
  }

  /** Writes a new value if `expectedVersion` is the current one; PRECONDITION_FAILED otherwise. */
  async write<T>(key: string, value: T, expectedVersion: number, actor: string): Promise<Setting<T>> {
    const json = JSON.stringify(value);
    const row =
      expectedVersion === 1
        ? await this.db
            .insertInto('settings')
            .values({ key, value: json, version: 2, updatedBy: actor })
            .onConflict((conflict) => conflict.column('key').doNothing())
            .returningAll()
            .executeTakeFirst()
        : await this.db
            .updateTable('settings')
            .set({ value: json, version: sql`version + 1`, updatedAt: new Date(), updatedBy: actor })
            .where('key', '=', key)
            .where('version', '=', expectedVersion)
            .returningAll()
            .executeTakeFirst();
    if (!row) {
      const current = await this.read(key, value);
      throw kitErrors.create.PRECONDITION_FAILED(`The settings are at version ${current.version}`);
    }
    return {
      value: row.value as T,
      version: row.version,
      updatedAt: row.updatedAt,
      updatedBy: row.updatedBy,
    };
  }
}
