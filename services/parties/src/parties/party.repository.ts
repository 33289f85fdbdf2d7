import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, newId, paginate, type ListFilter, type Page } from '@lessor/service-kit';
import type {
  KycHistoryTable,
  KycStatus,
  PartiesDatabase,
  PartiesTable,
  PartyExternalRef,
  PartyKind,
} from '../database.ts';
import { PARTY_SORT_FIELDS } from './party.schemas.ts';

export type PartyRow = Selectable<PartiesTable>;
export type KycHistoryRow = Selectable<KycHistoryTable>;

export interface PartySearch extends ListFilter {
  q?: string;
  /** Already normalised. */
  taxId?: string;
  /** `q` as a normalised tax id. */
  qTaxId?: string;
  externalRef?: PartyExternalRef;
  kind?: PartyKind;
  country?: string;
  kycStatus?: KycStatus;
}

/** The SQL of parties and their KYC history. */
export class PartyRepository extends BusinessRepository<PartiesDatabase, 'parties'> {
  constructor(db: Kysely<PartiesDatabase>) {
    super(db, 'parties', { sortable: PARTY_SORT_FIELDS, fallback: { column: 'name', direction: 'asc' } });
  }

  /** Parties by name (part of it, any case) or whole tax id, and by kind, country and KYC status. */
  async search(filter: PartySearch): Promise<Page<PartyRow>> {
    return this.list(filter, (query) => {
      let narrowed = query;
      if (filter.q !== undefined) {
        // lower(name) like lower(…) is ILIKE in the form the lower(name) index is built on.
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const byName = sql<boolean>`lower(name) like lower(${pattern})`;
        narrowed = narrowed.where((eb) =>
          filter.qTaxId ? eb.or([byName, eb('taxId', '=', filter.qTaxId)]) : byName,
        );
      }
      if (filter.taxId !== undefined) narrowed = narrowed.where('taxId', '=', filter.taxId);
      if (filter.externalRef !== undefined) {
        // Containment on the jsonb array, which the GIN index answers (a deleted party's too).
        const wanted = JSON.stringify([filter.externalRef]);
        narrowed = narrowed.where(sql<boolean>`external_refs @> ${wanted}::jsonb`);
      }
      if (filter.kind) narrowed = narrowed.where('kind', '=', filter.kind);
      if (filter.country) narrowed = narrowed.where('country', '=', filter.country);
      if (filter.kycStatus) narrowed = narrowed.where('kycStatus', '=', filter.kycStatus);
      return narrowed;
    });
  }

  /** The live party holding a tax id in a country, other than `exceptId`. */
  async findLiveByTaxId(country: string, taxId: string, exceptId?: string): Promise<PartyRow | undefined> {
    let query = this.db
      .selectFrom('parties')
      .selectAll()
      .where('country', '=', country)
      .where('taxId', '=', taxId)
      .where('deletedAt', 'is', null);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return query.executeTakeFirst();
  }

  /** The live parties holding any of these references, other than `exceptId`. */
  async findLiveByExternalRefs(
    refs: readonly PartyExternalRef[],
    exceptId?: string,
  ): Promise<{ system: string; externalId: string; partyId: string }[]> {
    if (refs.length === 0) return [];
    let query = this.db
      .selectFrom('partyExternalRefs')
      .select(['system', 'externalId', 'partyId'])
      .where((eb) =>
        eb.or(refs.map((ref) => eb.and([eb('system', '=', ref.system), eb('externalId', '=', ref.id)]))),
      );
    if (exceptId) query = query.where('partyId', '!=', exceptId);
    return query.execute();
  }

  /** Makes the uniqueness rows of a live party's references what its row says (none for a deleted one). */
  async replaceExternalRefs(partyId: string, refs: readonly PartyExternalRef[]): Promise<void> {
    await this.db.deleteFrom('partyExternalRefs').where('partyId', '=', partyId).execute();
    if (refs.length === 0) return;
    await this.db
      .insertInto('partyExternalRefs')
      .values(refs.map((ref) => ({ system: ref.system, externalId: ref.id, partyId })))
      .execute();
  }

  /** A live party, locked until the transaction ends, so two KYC decisions on it run one after the other. */
  async findForUpdate(id: string): Promise<PartyRow | undefined> {
    return this.db
      .selectFrom('parties')
      .selectAll()
      .where('id', '=', id)
      .where('deletedAt', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  }

  async appendKyc(entry: Omit<KycHistoryTable, 'id' | 'at'>): Promise<KycHistoryRow> {
    return this.db
      .insertInto('kycHistory')
      .values({ id: newId(), ...entry })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A party's KYC history, newest first. */
  async kycHistory(partyId: string, page: { limit: number; cursor?: string }): Promise<Page<KycHistoryRow>> {
    return paginate(this.db.selectFrom('kycHistory').selectAll().where('partyId', '=', partyId), {
      limit: page.limit,
      cursor: page.cursor,
      sort: { column: 'at', direction: 'desc' },
    });
  }
}
