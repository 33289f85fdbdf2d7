import type { Kysely } from 'kysely';
import { isPostgresError, kitErrors } from '@lessor/service-kit';
import { TAX_ID_UNIQUE_INDEX } from '../../migrations/0001_parties.ts';
import { EXTERNAL_REF_KEY } from '../../migrations/0002_external_refs.ts';
import type { PartiesDatabase, PartyExternalRef } from '../database.ts';
import { partiesErrors } from '../parties.errors.ts';
import type { PartiesEvents } from '../parties.events.ts';
import {
  canChangeKyc,
  externalRefKey,
  KYC_TRANSITIONS,
  parseExternalRef,
  prepareParty,
  searchableTaxId,
  type PartyFields,
} from './party.ts';
import { PartyRepository, type KycHistoryRow, type PartyRow } from './party.repository.ts';
import type {
  ChangeKyc,
  CreateParty,
  KycHistoryQuery,
  PartyListQuery,
  UpdateParty,
} from './party.schemas.ts';

const CREATED_REASON = 'Party created';

/**
 * Parties and their KYC status. A tax id is unique per country among live parties: checked first for a clear
 * answer, and by a partial unique index so that of two concurrent writes one wins and the other gets 409.
 * Every write publishes its event from the same transaction (through the outbox).
 */
export class PartyService {
  constructor(
    private readonly db: Kysely<PartiesDatabase>,
    private readonly events: PartiesEvents,
  ) {}

  list(query: PartyListQuery) {
    const { q, taxId, country, externalRef, ...rest } = query;
    return new PartyRepository(this.db).search({
      ...rest,
      ...(country ? { country } : {}),
      ...(externalRef ? { externalRef: parseExternalRef(externalRef) } : {}),
      ...(q ? { q, qTaxId: searchableTaxId(q, country) } : {}),
      ...(taxId ? { taxId: searchableTaxId(taxId, country) } : {}),
    });
  }

  async get(id: string, includeDeleted = false): Promise<PartyRow> {
    return this.#find(new PartyRepository(this.db), id, includeDeleted);
  }

  async create(input: CreateParty, actor: string): Promise<PartyRow> {
    const { kind, ...sent } = input;
    const fields = prepared(prepareParty(kind, sent));
    return this.#write(async (trx) => {
      const parties = new PartyRepository(trx);
      await this.#refuseTakenTaxId(parties, fields.country!, fields.taxId);
      await this.#refuseTakenRefs(parties, fields.externalRefs ?? []);
      const party = await parties.insert(
        {
          kind,
          name: fields.name!,
          firstName: fields.firstName ?? null,
          lastName: fields.lastName ?? null,
          legalForm: fields.legalForm ?? null,
          country: fields.country!,
          taxId: fields.taxId ?? null,
          registrationNumber: fields.registrationNumber ?? null,
          email: fields.email ?? null,
          phone: fields.phone ?? null,
          addresses: JSON.stringify(fields.addresses ?? []),
          contacts: JSON.stringify(fields.contacts ?? []),
          externalRefs: JSON.stringify(fields.externalRefs ?? []),
        },
        actor,
      );
      await parties.replaceExternalRefs(party.id, party.externalRefs);
      // The history starts at creation, so it answers "since when pending" without the audit trail.
      await parties.appendKyc({
        partyId: party.id,
        fromStatus: null,
        status: party.kycStatus,
        reason: CREATED_REASON,
        actor,
      });
      await this.events.partyChanged(trx, 'created', null, party, actor);
      return party;
    });
  }

  async update(id: string, version: number, changes: UpdateParty, actor: string): Promise<PartyRow> {
    return this.#write(async (trx) => {
      const parties = new PartyRepository(trx);
      const before = await this.#find(parties, id);
      const fields = prepared(prepareParty(before.kind, changes, before));
      const country = fields.country ?? before.country;
      const taxId = fields.taxId === undefined ? before.taxId : fields.taxId;
      if (country !== before.country || taxId !== before.taxId) {
        await this.#refuseTakenTaxId(parties, country, taxId, id);
      }
      if (fields.externalRefs) await this.#refuseTakenRefs(parties, fields.externalRefs, id);
      const { addresses, contacts, externalRefs, ...scalar } = fields;
      const after = await parties.update(
        id,
        version,
        {
          ...scalar,
          ...(addresses ? { addresses: JSON.stringify(addresses) } : {}),
          ...(contacts ? { contacts: JSON.stringify(contacts) } : {}),
          ...(externalRefs ? { externalRefs: JSON.stringify(externalRefs) } : {}),
        },
        actor,
      );
      if (externalRefs) await parties.replaceExternalRefs(id, after.externalRefs);
      await this.events.partyChanged(trx, 'updated', before, after, actor);
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<PartyRow> {
    return this.#write(async (trx) => {
      const parties = new PartyRepository(trx);
      const before = await this.#find(parties, id);
      const after = await parties.softDelete(id, version, actor);
      // A deleted party's references are free for another party; its row keeps them for a restore.
      await parties.replaceExternalRefs(id, []);
      await this.events.partyChanged(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  /** Brings a deleted party back, unless another live party has taken its tax id or a reference meanwhile (409). */
  async restore(id: string, actor: string): Promise<PartyRow> {
    return this.#write(async (trx) => {
      const parties = new PartyRepository(trx);
      const before = await this.#find(parties, id, true);
      if (before.deletedAt !== null) {
        await this.#refuseTakenTaxId(parties, before.country, before.taxId, id, false);
        await this.#refuseTakenRefs(parties, before.externalRefs, id, false);
      }
      const after = await parties.restore(id, actor);
      await parties.replaceExternalRefs(id, after.externalRefs);
      await this.events.partyChanged(trx, 'restored', before, after, actor);
      return after;
    });
  }

  /**
   * Records a KYC decision: the new status on the party (a new version), a row in its KYC history, and the
   * events `party.updated` and `party.kyc-changed`, all in one transaction. `expectedVersion` (If-Match) is
   * optional: the transition rules already refuse a decision made on a stale status.
   */
  async changeKyc(id: string, change: ChangeKyc, actor: string, expectedVersion?: number): Promise<PartyRow> {
    return this.#write(async (trx) => {
      const parties = new PartyRepository(trx);
      const before = await parties.findForUpdate(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No party ${id}`);
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw kitErrors.create.PRECONDITION_FAILED(
          `Party ${id} is at version ${before.version}, not ${expectedVersion}`,
        );
      }
      if (!canChangeKyc(before.kycStatus, change.status)) {
        const allowed = KYC_TRANSITIONS[before.kycStatus].join(', ');
        throw partiesErrors.create.PARTY_KYC_TRANSITION_NOT_ALLOWED(
          `The KYC status is ${before.kycStatus}; it can become ${allowed}`,
          { extensions: { kycStatus: before.kycStatus, allowed: KYC_TRANSITIONS[before.kycStatus] } },
        );
      }
      const reason = change.reason.trim();
      const after = await parties.update(id, before.version, { kycStatus: change.status }, actor);
      await parties.appendKyc({
        partyId: id,
        fromStatus: before.kycStatus,
        status: change.status,
        reason,
        actor,
      });
      await this.events.partyChanged(trx, 'updated', before, after, actor);
      await this.events.kycChanged(trx, before, after, reason, actor);
      return after;
    });
  }

  async kycHistory(
    id: string,
    query: KycHistoryQuery,
  ): Promise<{ items: KycHistoryRow[]; nextCursor: string | null }> {
    const parties = new PartyRepository(this.db);
    await this.#find(parties, id, query.includeDeleted);
    return parties.kycHistory(id, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  }

  async #refuseTakenTaxId(
    parties: PartyRepository,
    country: string,
    taxId: string | null | undefined,
    exceptId?: string,
    fromBody = true,
  ): Promise<void> {
    if (!taxId) return;
    const holder = await parties.findLiveByTaxId(country, taxId, exceptId);
    if (holder) throw taxIdTaken({ country, taxId, holderId: holder.id, field: fromBody });
  }

  async #refuseTakenRefs(
    parties: PartyRepository,
    refs: readonly PartyExternalRef[],
    exceptId?: string,
    fromBody = true,
  ): Promise<void> {
    const [held] = await parties.findLiveByExternalRefs(refs, exceptId);
    if (!held) return;
    const index = refs.findIndex((ref) => ref.system === held.system && ref.id === held.externalId);
    throw refTaken({
      ref: { system: held.system, id: held.externalId },
      holderId: held.partyId,
      ...(fromBody ? { field: `/body/externalRefs/${index}` } : {}),
    });
  }

  /** A transaction whose unique-index refusal on the tax id or a reference (a concurrent write won) becomes a 409. */
  async #write<T>(work: (trx: Kysely<PartiesDatabase>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      if (isPostgresError(error, '23505') && constraintOf(error) === TAX_ID_UNIQUE_INDEX) {
        throw taxIdTaken({ cause: error, field: true });
      }
      if (isPostgresError(error, '23505') && constraintOf(error) === EXTERNAL_REF_KEY) {
        throw refTaken({ cause: error, field: '/body/externalRefs' });
      }
      throw error;
    }
  }

  async #find(parties: PartyRepository, id: string, includeDeleted = false): Promise<PartyRow> {
    const party = await parties.find(id, { includeDeleted });
    if (!party) throw kitErrors.create.NOT_FOUND(`No party ${id}`);
    return party;
  }
}

function prepared(result: ReturnType<typeof prepareParty>): PartyFields {
  if (result.ok) return result.fields;
  throw partiesErrors.create.PARTY_INVALID(`${result.errors.length} field(s) break the party’s rules`, {
    errors: result.errors,
  });
}

function taxIdTaken(taken: {
  country?: string;
  taxId?: string;
  holderId?: string;
  cause?: unknown;
  /** Name /body/taxId: the request sent the tax id (not so for a restore). */
  field: boolean;
}) {
  const detail = taken.holderId
    ? `Party ${taken.holderId} already has tax id ${taken.taxId} in ${taken.country}`
    : 'Another party has just taken this tax id';
  return partiesErrors.create.PARTY_TAX_ID_TAKEN(detail, {
    ...(taken.field ? { errors: [{ field: '/body/taxId', message: 'is taken by another party' }] } : {}),
    ...(taken.holderId ? { extensions: { partyId: taken.holderId } } : {}),
    ...(taken.cause ? { cause: taken.cause } : {}),
  });
}

function refTaken(taken: { ref?: PartyExternalRef; holderId?: string; cause?: unknown; field?: string }) {
  const detail =
    taken.ref && taken.holderId
      ? `Party ${taken.holderId} already has the external reference ${externalRefKey(taken.ref)}`
      : 'Another party has just taken this external reference';
  return partiesErrors.create.PARTY_EXTERNAL_REF_TAKEN(detail, {
    ...(taken.field ? { errors: [{ field: taken.field, message: 'is taken by another party' }] } : {}),
    ...(taken.holderId ? { extensions: { partyId: taken.holderId } } : {}),
    ...(taken.cause ? { cause: taken.cause } : {}),
  });
}

function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}
