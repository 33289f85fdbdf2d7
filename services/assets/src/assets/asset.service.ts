import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EventDataOf, leasingEvents } from '@lessor/event-catalog';
import type { EventEnvelope } from '@lessor/events';
import { kitErrors, type FieldError, type Page } from '@lessor/service-kit';
import { utcDate } from '@lessor/domain-values';
import type { AssetsDatabase } from '../database.ts';
import type { AssetsEvents } from '../assets.events.ts';
import { assetsErrors } from '../assets.errors.ts';
import { formatAmount } from '@lessor/domain-values';
import { SupplierRepository } from '../suppliers/supplier.repository.ts';
import { assetErrors, type AssetFacts, type AssetStatus } from './asset.ts';
import { AssetRepository, type AssetRow } from './asset.repository.ts';
import type { AssetListQuery, ChangeStatus, CreateAsset, UpdateAsset } from './asset.schemas.ts';
import {
  blocksDeletion,
  decideContractTransition,
  manualTargets,
  type ContractReaction,
} from './asset-status.ts';
import { StatusHistoryRepository, type StatusChangeRow } from './status-history.repository.ts';

/** An asset with what its policies say about today. */
export interface AssetWithInsurance extends AssetRow {
  insuredUntil: string | null;
}

/**
 * What assets reads of a leasing contract event: every contract transition carries the contract id and the
 * contract (its number and asset), as the catalogue defines them (validated on receipt).
 */
export type ContractEvent = Pick<
  EventEnvelope<Pick<EventDataOf<typeof leasingEvents.contractSigned>, 'contractId' | 'contract'>>,
  'id' | 'actor' | 'data'
>;

/**
 * A contract event that cannot move its asset (held by another contract, sold, deleted, unknown). Thrown from
 * the handler: the consumer retries it (another contract's event may be on its way) and then parks it for a
 * person, who puts the asset right and replays it — or discards it.
 */
export class ContractEventConflict extends Error {
  override readonly name = 'ContractEventConflict';
}

/** The database's clock, as the kit stamps updatedAt: one time for the row and its history entry. */
const DATABASE_NOW = sql<Date>`now()` as unknown as Date;

/**
 * The asset register: registration, changes, soft delete and restore, and the status — changed by hand
 * through the guard table, or by leasing's contract events. Every write publishes its events from the same
 * transaction (through the outbox), and every status change adds a row to the asset's history.
 */
export class AssetService {
  constructor(
    private readonly db: Kysely<AssetsDatabase>,
    private readonly events: AssetsEvents,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(query: AssetListQuery): Promise<Page<AssetWithInsurance>> {
    const assets = new AssetRepository(this.db);
    const today = utcDate(this.clock());
    const page = await assets.search({ ...query, today });
    return { items: await this.#withInsurance(assets, page.items, today), nextCursor: page.nextCursor };
  }

  async get(id: string, includeDeleted = false): Promise<AssetWithInsurance> {
    const assets = new AssetRepository(this.db);
    const asset = await this.#find(assets, id, includeDeleted);
    const [withInsurance] = await this.#withInsurance(assets, [asset], utcDate(this.clock()));
    return withInsurance!;
  }

  async create(input: CreateAsset, actor: string): Promise<AssetWithInsurance> {
    const facts: AssetFacts = {
      type: input.type,
      vin: input.vin ?? null,
      serialNumber: input.serialNumber ?? null,
      year: input.year,
      price: input.price,
    };
    this.#refuseInvalid(facts);
    const asset = await this.db.transaction().execute(async (trx) => {
      const assets = new AssetRepository(trx);
      const make = input.make.trim();
      await this.#refuseTaken(assets, { make, vin: facts.vin, serialNumber: facts.serialNumber });
      if (input.supplierId) await this.#requireSupplier(trx, input.supplierId);
      const created = await assets.insert(
        {
          type: input.type,
          make,
          model: input.model.trim(),
          vin: facts.vin,
          serialNumber: facts.serialNumber,
          year: input.year,
          priceAmount: formatAmount(input.price.amount, input.price.currency),
          priceCurrency: input.price.currency,
          supplierId: input.supplierId ?? null,
          locationText: input.locationText ?? null,
          status: 'available',
          contractId: null,
        },
        actor,
      );
      await new StatusHistoryRepository(trx).record({
        assetId: created.id,
        fromStatus: null,
        toStatus: 'available',
        reason: 'registered',
        contractId: null,
        eventId: null,
        actor,
      });
      await this.events.assetChanged(trx, 'created', null, created, actor);
      return created;
    });
    return { ...asset, insuredUntil: null };
  }

  async update(
    id: string,
    version: number,
    changes: UpdateAsset,
    actor: string,
  ): Promise<AssetWithInsurance> {
    await this.db.transaction().execute(async (trx) => {
      const assets = new AssetRepository(trx);
      const before = await this.#find(assets, id);
      const make = changes.make?.trim() ?? before.make;
      const price = changes.price ?? { amount: before.priceAmount, currency: before.priceCurrency };
      const facts: AssetFacts = {
        type: changes.type ?? before.type,
        vin: changes.vin === undefined ? before.vin : changes.vin,
        serialNumber: changes.serialNumber === undefined ? before.serialNumber : changes.serialNumber,
        year: changes.year ?? before.year,
        price,
      };
      this.#refuseInvalid(facts);
      await this.#refuseTaken(assets, { make, vin: facts.vin, serialNumber: facts.serialNumber }, id);
      if (changes.supplierId && changes.supplierId !== before.supplierId) {
        await this.#requireSupplier(trx, changes.supplierId);
      }
      const after = await assets.update(
        id,
        version,
        {
          type: facts.type,
          make,
          ...(changes.model === undefined ? {} : { model: changes.model.trim() }),
          vin: facts.vin,
          serialNumber: facts.serialNumber,
          year: facts.year,
          priceAmount: formatAmount(price.amount, price.currency),
          priceCurrency: price.currency,
          ...(changes.supplierId === undefined ? {} : { supplierId: changes.supplierId }),
          ...(changes.locationText === undefined ? {} : { locationText: changes.locationText }),
        },
        actor,
      );
      await this.events.assetChanged(trx, 'updated', before, after, actor);
    });
    return this.get(id);
  }

  async delete(id: string, version: number, actor: string): Promise<AssetWithInsurance> {
    await this.db.transaction().execute(async (trx) => {
      const assets = new AssetRepository(trx);
      const before = await this.#find(assets, id);
      if (blocksDeletion(before.status)) {
        throw assetsErrors.create.ASSET_IN_USE(`The asset is ${before.status}; release or return it first`, {
          extensions: { status: before.status, contractId: before.contractId },
        });
      }
      const after = await assets.softDelete(id, version, actor);
      await this.events.assetChanged(trx, 'deleted', before, after, actor);
    });
    return this.get(id, true);
  }

  async restore(id: string, actor: string): Promise<AssetWithInsurance> {
    await this.db.transaction().execute(async (trx) => {
      const assets = new AssetRepository(trx);
      const before = await this.#find(assets, id, true);
      // Its VIN or serial may have been given to another asset meanwhile: two live assets cannot share one.
      await this.#refuseTaken(assets, before, id);
      const after = await assets.restore(id, actor);
      await this.events.assetChanged(trx, 'restored', before, after, actor);
    });
    return this.get(id);
  }

  /**
   * A status change by hand, through the guard table. `expectedVersion` (If-Match) is optional: the guard
   * already refuses a change that no longer fits the current status; sent, it is checked as for any write.
   */
  async changeStatus(
    id: string,
    change: ChangeStatus,
    expectedVersion: number | undefined,
    actor: string,
  ): Promise<AssetWithInsurance> {
    await this.db.transaction().execute(async (trx) => {
      const before = await new AssetRepository(trx).lock(id);
      if (!before || before.deletedAt !== null) throw kitErrors.create.NOT_FOUND(`No asset ${id}`);
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw kitErrors.create.PRECONDITION_FAILED(
          `Asset ${id} is at version ${before.version}, not ${expectedVersion}`,
        );
      }
      const allowed = manualTargets(before.status);
      if (!allowed.includes(change.status)) {
        throw assetsErrors.create.ASSET_STATUS_TRANSITION_FORBIDDEN(
          `An asset cannot go from ${before.status} to ${change.status} by hand` +
            (allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ' (a sold asset never changes)'),
          { extensions: { from: before.status, to: change.status, allowed: [...allowed] } },
        );
      }
      await this.#transition(trx, before, change.status, {
        reason: change.reason.trim(),
        // Releasing frees the asset from its contract; other changes keep the contract it is held under.
        contractId: change.status === 'available' ? null : before.contractId,
        eventId: null,
        actor,
      });
    });
    return this.get(id);
  }

  async history(id: string, page: { limit: number; cursor?: string }): Promise<Page<StatusChangeRow>> {
    await this.#find(new AssetRepository(this.db), id, true);
    return new StatusHistoryRepository(this.db).list(id, page);
  }

  /**
   * Moves the asset of a leasing contract event as `reaction` says, in the consumer's transaction (with the
   * inbox row: exactly once per event id). See `decideContractTransition` for when it applies, does nothing,
   * or refuses.
   */
  async applyContractEvent(
    trx: Kysely<AssetsDatabase>,
    event: ContractEvent,
    reaction: ContractReaction,
    log: Logger,
  ): Promise<void> {
    const { data } = event;
    const { contractId } = data;
    const assetId = data.contract.assetId;
    const asset = await new AssetRepository(trx).lock(assetId);
    const reached = await new StatusHistoryRepository(trx).reachedUnder(assetId, contractId);
    const decision = decideContractTransition(
      asset && { status: asset.status, contractId: asset.contractId, deleted: asset.deletedAt !== null },
      reaction,
      contractId,
      reached,
    );
    if (decision.kind === 'done') {
      log.info({ assetId, contractId }, 'the contract already moved the asset there; nothing to do');
      return;
    }
    if (decision.kind === 'conflict' || !asset) {
      throw new ContractEventConflict(
        `Contract ${data.contract.number} ${reaction.happened}, but asset ${assetId} cannot become ` +
          `${reaction.target}: ${decision.kind === 'conflict' ? decision.reason : 'it is not in the register'}`,
      );
    }
    await this.#transition(trx, asset, reaction.target, {
      reason: `contract ${data.contract.number} ${reaction.happened}`,
      contractId,
      eventId: event.id,
      actor: event.actor ?? 'system',
    });
  }

  /** One status change: the row, its history entry, the change event and the status event, in `trx`. */
  async #transition(
    trx: Kysely<AssetsDatabase>,
    before: AssetRow,
    to: AssetStatus,
    change: { reason: string; contractId: string | null; eventId: string | null; actor: string },
  ): Promise<void> {
    const after = await new AssetRepository(trx).update(
      before.id,
      before.version,
      { status: to, statusChangedAt: DATABASE_NOW, contractId: change.contractId },
      change.actor,
    );
    await new StatusHistoryRepository(trx).record({
      assetId: before.id,
      fromStatus: before.status,
      toStatus: to,
      reason: change.reason,
      // A release names the contract the asset leaves, so the history tells whose lease it ended.
      contractId: change.contractId ?? before.contractId,
      eventId: change.eventId,
      actor: change.actor,
    });
    await this.events.assetChanged(trx, 'updated', before, after, change.actor);
    await this.events.statusChanged(
      trx,
      {
        from: before.status,
        reason: change.reason,
        contractId: change.contractId ?? before.contractId,
        asset: after,
      },
      change.actor,
    );
  }

  #refuseInvalid(facts: AssetFacts): void {
    const errors = assetErrors(facts, this.clock());
    if (errors.length > 0) {
      throw kitErrors.create.VALIDATION_FAILED(`${errors.length} field(s) failed validation`, { errors });
    }
  }

  async #refuseTaken(
    assets: AssetRepository,
    identity: { make: string; vin: string | null; serialNumber: string | null },
    exceptId?: string,
  ): Promise<void> {
    if (identity.vin && (await assets.findLiveByVin(identity.vin, exceptId))) {
      throw assetsErrors.create.ASSET_VIN_TAKEN(`A live asset has VIN ${identity.vin}`, {
        errors: [{ field: '/body/vin', message: 'is taken by another asset' }],
      });
    }
    if (
      identity.serialNumber &&
      (await assets.findLiveBySerial(identity.make, identity.serialNumber, exceptId))
    ) {
      throw assetsErrors.create.ASSET_SERIAL_NUMBER_TAKEN(
        `A live ${identity.make} asset has serial number ${identity.serialNumber}`,
        { errors: [{ field: '/body/serialNumber', message: 'is taken by another asset of this make' }] },
      );
    }
  }

  async #requireSupplier(trx: Kysely<AssetsDatabase>, supplierId: string): Promise<void> {
    if (!(await new SupplierRepository(trx).find(supplierId))) {
      const errors: FieldError[] = [{ field: '/body/supplierId', message: 'no live supplier has this id' }];
      throw assetsErrors.create.ASSET_SUPPLIER_NOT_FOUND(`No supplier ${supplierId}`, { errors });
    }
  }

  async #find(assets: AssetRepository, id: string, includeDeleted = false): Promise<AssetRow> {
    const asset = await assets.find(id, { includeDeleted });
    if (!asset) throw kitErrors.create.NOT_FOUND(`No asset ${id}`);
    return asset;
  }

  async #withInsurance(
    assets: AssetRepository,
    rows: AssetRow[],
    today: string,
  ): Promise<AssetWithInsurance[]> {
    const until = await assets.insuredUntil(
      rows.map((row) => row.id),
      today,
    );
    return rows.map((row) => ({ ...row, insuredUntil: until.get(row.id) ?? null }));
  }
}
