import { sql, type Kysely } from 'kysely';
import { preparedQuery, type FieldError } from '@lessor/service-kit';
import { UpstreamResponseError, UpstreamUnavailableError, type ServiceClient } from '@lessor/http-client';
import type { LeasingDatabase } from '../database.ts';
import { leasingErrors } from '../leasing.errors.ts';

/** What leasing reads of a party for a write (parties' `GET /v1/parties/{id}/summary`). */
export interface PartySummary {
  id: string;
  name: string;
  kind: string;
  country: string;
  taxId: string | null;
  kycStatus: string;
}

/** What leasing reads of an asset for a write (assets' `GET /v1/assets/{id}/summary`). */
export interface AssetSummary {
  id: string;
  type: string;
  make: string;
  model: string;
  vin: string | null;
  serialNumber: string | null;
  year: number;
  status: string;
}

/**
 * A name shown beside a contract, from leasing's own copy. `asOf`: when leasing last learned it (the owner's
 * change, or leasing's own check at a write). `stale` only when it matters: leasing has no name yet.
 */
export interface ReferenceName {
  id: string;
  name: string | null;
  asOf: string | null;
  stale: boolean;
  reason?: string;
}

export type ReferenceKind = 'party' | 'asset';

const TABLES = { party: 'partyNames', asset: 'assetNames' } as const;
const OWNERS = { party: 'parties', asset: 'assets' } as const;

/** How an asset is named on a contract: make, model and its VIN or serial number. */
export function assetName(asset: Pick<AssetSummary, 'make' | 'model' | 'vin' | 'serialNumber'>): string {
  const identifier = asset.vin ?? asset.serialNumber;
  return identifier ? `${asset.make} ${asset.model} (${identifier})` : `${asset.make} ${asset.model}`;
}

/**
 * leasing's own copy of the party and asset names its contracts show (issue 13: reads never wait on a
 * neighbour). Reads look names up here and call nobody; the owners' events and leasing's own fresh checks at
 * writes keep it current. An older name never replaces a newer one (`asOf` decides), so events arriving late
 * or a check racing an event leave the latest name standing.
 */
export class ReferenceNames {
  constructor(private readonly db: Kysely<LeasingDatabase>) {}

  /** The names of many parties and assets at once: one query of two indexed lookups, whatever the page size. */
  async lookup(
    wanted: { partyIds: readonly string[]; assetIds: readonly string[] },
    db: Kysely<LeasingDatabase> = this.db,
  ): Promise<{ party: (id: string) => ReferenceName; asset: (id: string) => ReferenceName }> {
    const parties = new Map<string, { name: string; asOf: Date }>();
    const assets = new Map<string, { name: string; asOf: Date }>();
    const partyIds = [...new Set(wanted.partyIds)];
    const assetIds = [...new Set(wanted.assetIds)];
    if (partyIds.length > 0 || assetIds.length > 0) {
      for (const row of await namesOf.execute(db, { partyIds, assetIds }))
        (row.kind === 'party' ? parties : assets).set(row.id, { name: row.name, asOf: row.asOf });
    }
    return { party: (id) => nameOf('party', id, parties), asset: (id) => nameOf('asset', id, assets) };
  }

  /** Keeps a name learned at `asOf`, unless leasing already knows a newer one. */
  async remember(kind: ReferenceKind, id: string, name: string, asOf: Date, db = this.db): Promise<void> {
    const table = TABLES[kind];
    await db
      .insertInto(table)
      .values({ id, name, asOf })
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), asOf: eb.ref('excluded.asOf') }))
          .whereRef(`${table}.asOf`, '<=', 'excluded.asOf'),
      )
      .execute();
  }
}

/**
 * Both kinds of names in one round trip (a contract's read needs one of each), compiled once: a read of a
 * contract is mostly fixed costs, and each query is one (issue 13).
 */
const namesOf = preparedQuery<
  LeasingDatabase,
  { partyIds: string[]; assetIds: string[] },
  { kind: ReferenceKind; id: string; name: string; asOf: Date }
>((db, param) =>
  db
    .selectFrom('partyNames')
    .select([sql<ReferenceKind>`'party'`.as('kind'), 'id', 'name', 'asOf'])
    .where('id', '=', sql<string>`any(${param('partyIds')})`)
    .unionAll(
      db
        .selectFrom('assetNames')
        .select([sql<ReferenceKind>`'asset'`.as('kind'), 'id', 'name', 'asOf'])
        .where('id', '=', sql<string>`any(${param('assetIds')})`),
    ),
);

function nameOf(
  kind: ReferenceKind,
  id: string,
  known: Map<string, { name: string; asOf: Date }>,
): ReferenceName {
  const row = known.get(id);
  if (!row)
    return {
      id,
      name: null,
      asOf: null,
      stale: true,
      reason: `not yet known: no event from ${OWNERS[kind]} has reached leasing`,
    };
  return { id, name: row.name, asOf: new Date(row.asOf).toISOString(), stale: false };
}

/**
 * leasing's calls to parties and assets, for writes only: a write that needs a fresh check (the party exists
 * and is KYC-verified, the asset is available) asks the owner and fails whole when it does not answer.
 */
export class References {
  constructor(
    private readonly parties: ServiceClient,
    private readonly assets: ServiceClient,
  ) {}

  /** The party as parties knows it now: 422 when it does not exist, 503 PARTIES_UNAVAILABLE when parties is down. */
  freshParty(id: string, field: string): Promise<PartySummary> {
    return this.#fresh(this.parties, 'party', `/v1/parties/${id}/summary`, field, id);
  }

  /** The asset as assets knows it now: 422 when it does not exist, 503 ASSETS_UNAVAILABLE when assets is down. */
  freshAsset(id: string, field: string): Promise<AssetSummary> {
    return this.#fresh(this.assets, 'asset', `/v1/assets/${id}/summary`, field, id);
  }

  async #fresh<T>(
    client: ServiceClient,
    kind: ReferenceKind,
    path: string,
    field: string,
    id: string,
  ): Promise<T> {
    try {
      return await client.get<T>(path);
    } catch (error) {
      if (error instanceof UpstreamResponseError && error.status === 404) {
        const errors: FieldError[] = [{ field, message: `no such ${kind}` }];
        throw leasingErrors.create.REFERENCE_NOT_FOUND(`No ${kind} ${id}`, { errors });
      }
      if (error instanceof UpstreamUnavailableError || error instanceof UpstreamResponseError) {
        const why = error instanceof UpstreamUnavailableError ? error.reason : `HTTP ${error.status}`;
        const detail = `${OWNERS[kind]} could not confirm the ${kind} ${id} (${why}); nothing was changed`;
        const options = {
          headers: { 'retry-after': '5' },
          errors: [{ field, message: `${OWNERS[kind]} did not answer` }],
        };
        throw kind === 'party'
          ? leasingErrors.create.PARTIES_UNAVAILABLE(detail, options)
          : leasingErrors.create.ASSETS_UNAVAILABLE(detail, options);
      }
      throw error;
    }
  }
}
