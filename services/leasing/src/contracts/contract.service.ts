import type { Kysely } from 'kysely';
import { addDays, paymentReference, utcToday } from '@lessor/domain-values';
import { leasingEvents } from '@lessor/event-catalog';
import { kitErrors, type ServiceEvents } from '@lessor/service-kit';
import {
  earlyTerminationQuote,
  LeaseTermsError,
  restructureSchedule,
  type LeaseSchedule,
} from '@lessor/lease-math';
import type { CalculationRow } from '../calculations/calculation.repository.ts';
import { CalculationRepository } from '../calculations/calculation.repository.ts';
import { fieldErrorsOf } from '../calculations/lease-terms.ts';
import type { LeasingDatabase } from '../database.ts';
import { leasingErrors } from '../leasing.errors.ts';
import { contractChange, transitionOf, type ContractTransition } from '../leasing.events.ts';
import { ProductRepository } from '../products/product.repository.ts';
import { assetName, ReferenceNames, type ReferenceName, type References } from '../references/references.ts';
import {
  contractNumber,
  fourEyesRefusal,
  hasRunItsTerm,
  transitionRefusal,
  type ContractStatus,
  type TransitionName,
} from './contract.ts';
import {
  ContractRepository,
  type ContractRow,
  type ContractScheduleRow,
  type TerminationQuoteRow,
} from './contract.repository.ts';
import type {
  CloseRequest,
  ContractListQuery,
  CreateContract,
  QuoteRequest,
  RestructureRequest,
  TransitionRequest,
  UpdateContract,
} from './contract.schemas.ts';

export interface ContractServiceOptions {
  legalEntity: string;
  quoteValidDays: number;
  /** Today's business date; a function so tests can move it. */
  today?: () => string;
}

/** Fee of an early termination when the request names none: percent of the remaining principal. */
const DEFAULT_TERMINATION_FEE_PERCENT = '3';

/**
 * Contracts through their life: made from a calculation for a party and an asset, approved by a second
 * person, signed, activated, and ended by closing, early termination or default; restructured on the way.
 * Every change happens in one transaction with its event, on the contract's row lock.
 */
export class ContractService {
  readonly #today: () => string;

  constructor(
    private readonly db: Kysely<LeasingDatabase>,
    private readonly events: ServiceEvents,
    private readonly references: References,
    private readonly options: ContractServiceOptions,
  ) {
    this.#today = options.today ?? utcToday;
  }

  list(query: ContractListQuery) {
    return new ContractRepository(this.db).search(query);
  }

  async get(id: string, includeDeleted = false): Promise<ContractRow> {
    const contract = await new ContractRepository(this.db).find(id, { includeDeleted });
    if (!contract) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
    return contract;
  }

  /**
   * The party and asset names of contracts, from leasing's own copy (two queries for a whole page): a read
   * never calls parties or assets. A name leasing has not heard of yet is null and marked not yet known.
   */
  async names(contracts: readonly ContractRow[]): Promise<(contract: ContractRow) => ContractNames> {
    const known = await new ReferenceNames(this.db).lookup({
      partyIds: contracts.map((contract) => contract.partyId),
      assetIds: contracts.map((contract) => contract.assetId),
    });
    return (contract) => ({ party: known.party(contract.partyId), asset: known.asset(contract.assetId) });
  }

  /** A schedule version, the current one unless asked; `known`: the contract, when the caller read it already. */
  async schedule(id: string, version?: number, known?: ContractRow): Promise<ContractScheduleRow> {
    const contract = known ?? (await this.get(id));
    const row = await new ContractRepository(this.db).schedule(id, version ?? contract.scheduleVersion);
    if (!row) throw kitErrors.create.NOT_FOUND(`Contract ${id} has no schedule version ${version}`);
    return row;
  }

  async history(id: string) {
    await this.get(id, true);
    return new ContractRepository(this.db).transitions(id);
  }

  /** `actorName`: the name in the caller's token, kept on the contract so people read who made it. */
  async create(input: CreateContract, actor: string, actorName: string): Promise<ContractRow> {
    const calculation = await this.#calculation(input.calculationId);
    // Fresh checks before the transaction: a write that needs parties or assets fails whole when they are down.
    const checkedAt = new Date();
    const [party, asset] = await bothChecked([
      this.references.freshParty(input.partyId, '/body/partyId'),
      this.references.freshAsset(input.assetId, '/body/assetId'),
    ]);
    if (asset.status !== 'available')
      throw leasingErrors.create.ASSET_NOT_AVAILABLE(`Asset ${asset.id} is ${asset.status}`);
    const product = await new ProductRepository(this.db).find(calculation.productId!);
    if (!product)
      throw leasingErrors.create.REFERENCE_NOT_FOUND('The calculation’s product was deleted', {
        errors: [{ field: '/body/calculationId', message: 'its product no longer exists' }],
      });
    const schedule = calculation.schedule as LeaseSchedule;
    const legalEntity = input.legalEntity ?? this.options.legalEntity;

    return this.#write(
      async (contracts, trx) => {
        await rememberNames(trx, checkedAt, party, asset);
        const year = Number(this.#today().slice(0, 4));
        const number = contractNumber(legalEntity, year, await contracts.nextNumber(legalEntity, year));
        const contract = await contracts.insert(
          {
            number,
            legalEntity,
            status: 'draft',
            partyId: party.id,
            assetId: asset.id,
            productId: product.id,
            calculationId: calculation.id,
            ...termsOf(schedule),
            penaltyRate: input.penaltyRate ?? product.penaltyRate,
            scheduleVersion: 1,
            paymentReference: paymentReference(number),
            partyName: party.name,
            assetName: assetName(asset),
            createdByName: actorName,
            approvedBy: null,
            approvedAt: null,
            approvedByName: null,
            statusReason: null,
            statusChangedAt: null,
          },
          actor,
        );
        await contracts.addSchedule({
          contractId: contract.id,
          version: 1,
          effectiveFrom: schedule.startDate,
          schedule: JSON.stringify(schedule),
          createdBy: actor,
        });
        return contract;
      },
      (trx, contract) => this.events.publishChange(trx, contractChange('created', null, contract)),
      asset.id,
    );
  }

  /**
   * A draft's calculation, party or asset can still change; the numbers follow the calculation. Whoever
   * changes it joins its `editors` (the database keeps them) and can then neither approve nor reject it.
   */
  async update(id: string, version: number, changes: UpdateContract, actor: string): Promise<ContractRow> {
    const current = await this.get(id);
    if (current.status !== 'draft')
      throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
        `Only a draft can be changed; this one is ${current.status}`,
      );
    const calculation = changes.calculationId ? await this.#calculation(changes.calculationId) : undefined;
    const checkedAt = new Date();
    const party = changes.partyId
      ? await this.references.freshParty(changes.partyId, '/body/partyId')
      : undefined;
    const asset = changes.assetId
      ? await this.references.freshAsset(changes.assetId, '/body/assetId')
      : undefined;
    if (asset && asset.id !== current.assetId && asset.status !== 'available')
      throw leasingErrors.create.ASSET_NOT_AVAILABLE(`Asset ${asset.id} is ${asset.status}`);

    let before: ContractRow | undefined;
    return this.#write(
      async (contracts, trx) => {
        before = await contracts.lock(id);
        if (!before) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
        if (before.status !== 'draft')
          throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
            `Only a draft can be changed; this one is ${before.status}`,
          );
        await rememberNames(trx, checkedAt, party, asset);
        const schedule = calculation?.schedule as LeaseSchedule | undefined;
        const after = await contracts.update(
          id,
          version,
          {
            ...(calculation && schedule
              ? { calculationId: calculation.id, productId: calculation.productId!, ...termsOf(schedule) }
              : {}),
            ...(party ? { partyId: party.id, partyName: party.name } : {}),
            ...(asset ? { assetId: asset.id, assetName: assetName(asset) } : {}),
            ...(changes.penaltyRate ? { penaltyRate: changes.penaltyRate } : {}),
          },
          actor,
        );
        // A draft's schedule does not bind anyone yet: a new calculation replaces it in place.
        if (schedule) await contracts.replaceDraftSchedule(id, schedule.startDate, JSON.stringify(schedule));
        return after;
      },
      (trx, after) => this.events.publishChange(trx, contractChange('updated', before!, after)),
      asset?.id,
    );
  }

  async delete(id: string, version: number, actor: string): Promise<ContractRow> {
    let before: ContractRow | undefined;
    return this.#write(
      async (contracts) => {
        before = await contracts.lock(id);
        if (!before) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
        if (before.status !== 'draft' && before.status !== 'rejected')
          throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
            `Only a draft or rejected contract can be deleted; this one is ${before.status}`,
          );
        return contracts.softDelete(id, version, actor);
      },
      (trx, after) => this.events.publishChange(trx, contractChange('deleted', before!, after)),
    );
  }

  async restore(id: string, actor: string): Promise<ContractRow> {
    let before: ContractRow | undefined;
    return this.#write(
      async (contracts) => {
        before = await contracts.find(id, { includeDeleted: true });
        if (!before) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
        return contracts.restore(id, actor);
      },
      (trx, after) => this.events.publishChange(trx, contractChange('restored', before!, after)),
    );
  }

  /**
   * Four eyes (neither the author nor anyone who changed the draft), then fresh checks: the party's KYC is
   * verified and the asset still available. Checked again on the locked row, so a change that lands between
   * the first check and the approval is seen.
   */
  async approve(
    id: string,
    request: TransitionRequest,
    actor: string,
    actorName: string,
  ): Promise<ContractRow> {
    const current = await this.get(id);
    this.#refuse('approve', current.status);
    refuseFourEyes(current, actor);
    const checkedAt = new Date();
    const [party, asset] = await bothChecked([
      this.references.freshParty(current.partyId, '/body/partyId'),
      this.references.freshAsset(current.assetId, '/body/assetId'),
    ]);
    if (party.kycStatus !== 'verified')
      throw leasingErrors.create.PARTY_NOT_ELIGIBLE(
        `The party’s KYC status is ${party.kycStatus}, not verified`,
      );
    if (asset.status !== 'available')
      throw leasingErrors.create.ASSET_NOT_AVAILABLE(`Asset ${asset.id} is ${asset.status}`);
    return this.#transition(id, 'approve', request, actor, {
      extra: {
        approvedBy: actor,
        approvedAt: new Date(),
        approvedByName: actorName,
        partyName: party.name,
        assetName: assetName(asset),
      },
      check: async (contract, _contracts, _businessDate, trx) => {
        refuseFourEyes(contract, actor);
        await rememberNames(trx, checkedAt, party, asset);
      },
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractApproved, { data: transition }),
    });
  }

  async reject(
    id: string,
    request: TransitionRequest & { reason: string },
    actor: string,
  ): Promise<ContractRow> {
    return this.#transition(id, 'reject', request, actor, {
      check: (contract) => refuseFourEyes(contract, actor),
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractRejected, {
          data: { ...transition, reason: request.reason },
        }),
    });
  }

  sign(id: string, request: TransitionRequest, actor: string): Promise<ContractRow> {
    return this.#transition(id, 'sign', request, actor, {
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractSigned, { data: transition }),
    });
  }

  /** The schedule binds from here: the event carries it, for billing and finance. */
  async activate(id: string, request: TransitionRequest, actor: string): Promise<ContractRow> {
    return this.#transition(id, 'activate', request, actor, {
      publish: async (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractActivated, {
          data: {
            ...transition,
            schedule: await scheduleEventOf(new ContractRepository(trx), transition.contract),
          },
        }),
    });
  }

  /** An active contract closes once its term has run: the last installment is due. */
  async close(id: string, request: CloseRequest, actor: string): Promise<ContractRow> {
    return this.#transition(id, 'close', request, actor, {
      check: async (contract, contracts, businessDate) => {
        const schedule = await currentSchedule(contracts, contract);
        const last = schedule.installments.at(-1)!.dueDate;
        if (!hasRunItsTerm(last, businessDate))
          throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
            `The contract runs until ${last}; end it early with a termination quote instead`,
          );
      },
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractClosed, {
          data: { ...transition, buyout: request.buyout },
        }),
    });
  }

  markDefaulted(
    id: string,
    request: TransitionRequest & { reason: string },
    actor: string,
  ): Promise<ContractRow> {
    return this.#transition(id, 'default', request, actor, {
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractDefaulted, {
          data: { ...transition, reason: request.reason },
        }),
    });
  }

  /**
   * A quote of what the lessee pays to end the contract at a date. Installments due by then are taken as
   * billed (billing collects them, overdue or not), so the quote is the principal still owed after the last
   * of them, the interest accrued since, and the fee with its VAT.
   */
  async quoteTermination(id: string, request: QuoteRequest, actor: string): Promise<TerminationQuoteRow> {
    const contract = await this.get(id);
    if (contract.status !== 'active')
      throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
        `Only an active contract can be terminated; this one is ${contract.status}`,
      );
    const contracts = new ContractRepository(this.db);
    const schedule = await currentSchedule(contracts, contract);
    const paidInstallments = schedule.installments.filter(
      (line) => line.dueDate <= request.terminationDate,
    ).length;
    const quote = leaseMath(
      () =>
        earlyTerminationQuote(schedule, {
          date: request.terminationDate,
          paidInstallments,
          feePercent: request.feePercent ?? DEFAULT_TERMINATION_FEE_PERCENT,
        }),
      { '/date': '/body/terminationDate' },
    );
    return contracts.addQuote({
      contractId: id,
      scheduleVersion: contract.scheduleVersion,
      terminationDate: request.terminationDate,
      validUntil: addDays(this.#today(), this.options.quoteValidDays),
      quote: JSON.stringify(quote),
      createdBy: actor,
    });
  }

  async getQuote(id: string, quoteId: string): Promise<TerminationQuoteRow> {
    const quote = await new ContractRepository(this.db).quote(id, quoteId);
    if (!quote) throw kitErrors.create.NOT_FOUND(`No termination quote ${quoteId} for contract ${id}`);
    return quote;
  }

  /** Executes a quote: the contract ends as terminated and the settlement goes to billing and finance. */
  async terminate(id: string, quoteId: string, actor: string): Promise<ContractRow> {
    let settlement: ReturnType<typeof settlementOf> | undefined;
    return this.#transition(id, 'terminate', {}, actor, {
      check: async (contract, contracts) => {
        const quote = await contracts.quote(id, quoteId);
        if (!quote) throw kitErrors.create.NOT_FOUND(`No termination quote ${quoteId} for contract ${id}`);
        if (quote.executedAt)
          throw leasingErrors.create.QUOTE_NOT_EXECUTABLE('The quote was executed already');
        if (quote.validUntil < this.#today())
          throw leasingErrors.create.QUOTE_NOT_EXECUTABLE(`The quote expired on ${quote.validUntil}`);
        if (quote.scheduleVersion !== contract.scheduleVersion)
          throw leasingErrors.create.QUOTE_NOT_EXECUTABLE('The schedule was restructured since the quote');
        await contracts.markQuoteExecuted(quoteId);
        settlement = settlementOf(quote, contract.currency);
        return quote.terminationDate;
      },
      publish: (trx, transition) =>
        this.events.publish(trx, leasingEvents.contractTerminated, {
          data: { ...transition, settlement: settlement! },
        }),
    });
  }

  /** A new schedule version from a date: installments due before it stay as they were. */
  async restructure(
    id: string,
    version: number | undefined,
    request: RestructureRequest,
    actor: string,
  ): Promise<ContractRow> {
    let before: ContractRow | undefined;
    let newSchedule: ReturnType<typeof scheduleSnapshot> | undefined;
    const contract = await this.#write(
      async (contracts) => {
        before = await contracts.lock(id);
        if (!before) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
        if (version !== undefined && before.version !== version)
          throw kitErrors.create.PRECONDITION_FAILED(`The contract is at version ${before.version}`);
        if (before.status !== 'active')
          throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(
            `Only an active contract can be restructured; this one is ${before.status}`,
          );
        const schedule = await currentSchedule(contracts, before);
        const restructured = leaseMath(() =>
          restructureSchedule(schedule, {
            fromDate: request.fromDate,
            ...(request.termMonths !== undefined ? { termMonths: request.termMonths } : {}),
            ...(request.annualRate !== undefined ? { annualRate: request.annualRate } : {}),
          }),
        );
        const nextVersion = before.scheduleVersion + 1;
        await contracts.addSchedule({
          contractId: id,
          version: nextVersion,
          effectiveFrom: request.fromDate,
          schedule: JSON.stringify(restructured),
          createdBy: actor,
        });
        const after = await contracts.update(
          id,
          before.version,
          {
            scheduleVersion: nextVersion,
            termMonths: restructured.installments.length,
            annualRate: request.annualRate ?? before.annualRate,
          },
          actor,
        );
        await contracts.recordTransition({
          contractId: id,
          fromStatus: 'active',
          toStatus: 'active',
          businessDate: this.#today(),
          reason: `restructured from ${request.fromDate} (schedule version ${nextVersion})`,
          actor,
        });
        newSchedule = scheduleSnapshot(restructured, nextVersion, request.fromDate);
        return after;
      },
      (trx, after) =>
        this.events.publish(trx, leasingEvents.contractRestructured, {
          data: { ...transitionOf('active', after, this.#today()), schedule: newSchedule! },
        }),
    );
    return contract;
  }

  #refuse(transition: TransitionName, status: ContractStatus): void {
    const refusal = transitionRefusal(transition, status);
    if (refusal) throw leasingErrors.create.CONTRACT_TRANSITION_REFUSED(refusal);
  }

  /** One status transition: lock, check, update, record the history and publish, in one transaction. */
  async #transition(
    id: string,
    transition: TransitionName,
    request: { businessDate?: string; reason?: string },
    actor: string,
    how: {
      extra?: Partial<ContractRow>;
      check?: (
        contract: ContractRow,
        contracts: ContractRepository,
        businessDate: string,
        trx: Kysely<LeasingDatabase>,
      ) => unknown;
      /** Publishes the transition's event: what every transition carries, and what its type adds. */
      publish: (trx: Kysely<LeasingDatabase>, transition: ContractTransition) => Promise<unknown>;
    },
  ): Promise<ContractRow> {
    // Both set on the locked row, before the event is published in the same transaction.
    let from: ContractStatus = 'draft';
    let businessDate = request.businessDate ?? this.#today();
    return this.#write(
      async (contracts, trx) => {
        const before = await contracts.lock(id);
        if (!before) throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
        this.#refuse(transition, before.status);
        const checked = await how.check?.(before, contracts, businessDate, trx);
        if (typeof checked === 'string') businessDate = checked;
        from = before.status;
        const { id: _id, ...extra } = how.extra ?? {};
        const after = await contracts.update(
          id,
          before.version,
          {
            ...extra,
            status: TRANSITIONS_TO[transition],
            statusReason: request.reason ?? null,
            statusChangedAt: new Date(),
          },
          actor,
        );
        await contracts.recordTransition({
          contractId: id,
          fromStatus: from,
          toStatus: after.status,
          businessDate,
          reason: request.reason ?? null,
          actor,
        });
        return after;
      },
      (trx, after) => how.publish(trx, transitionOf(from, after, businessDate)),
    );
  }

  /** Runs a write in one transaction and publishes its event in the same one; unique races become 409. */
  async #write(
    change: (contracts: ContractRepository, trx: Kysely<LeasingDatabase>) => Promise<ContractRow>,
    publish: (trx: Kysely<LeasingDatabase>, contract: ContractRow) => Promise<unknown>,
    /** The asset the write gives the contract, to name its holder when another live contract has it. */
    assetId?: string,
  ): Promise<ContractRow> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const contract = await change(new ContractRepository(trx), trx);
        await publish(trx, contract);
        return contract;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'contracts_asset_live_key')) throw await this.#assetHeld(assetId);
      throw error;
    }
  }

  /** The refusal names the contract that holds the asset, so a person knows which one to look at. */
  async #assetHeld(assetId: string | undefined) {
    const holder = assetId ? await new ContractRepository(this.db).holderOf(assetId) : undefined;
    if (!holder) return leasingErrors.create.ASSET_NOT_AVAILABLE('Another live contract holds this asset');
    return leasingErrors.create.ASSET_NOT_AVAILABLE(
      `Contract ${holder.number} (${holder.status}) holds this asset`,
      {
        errors: [{ field: '/body/assetId', message: `held by contract ${holder.number}` }],
        extensions: { holder: { id: holder.id, number: holder.number, status: holder.status } },
      },
    );
  }

  async #calculation(id: string): Promise<CalculationRow & { productId: string }> {
    const calculation = await new CalculationRepository(this.db).find(id);
    if (!calculation)
      throw leasingErrors.create.REFERENCE_NOT_FOUND(`No calculation ${id}`, {
        errors: [{ field: '/body/calculationId', message: 'no such calculation' }],
      });
    if (!calculation.productId)
      throw leasingErrors.create.LEASE_TERMS_INVALID('A contract needs a calculation made on a product', {
        errors: [{ field: '/body/calculationId', message: 'the calculation names no product' }],
      });
    return calculation as CalculationRow & { productId: string };
  }
}

/**
 * Both fresh checks, asked in parallel; when both fail the party's refusal is the answer (a stable code for the
 * caller: PARTIES_UNAVAILABLE before ASSETS_UNAVAILABLE), whichever failed first.
 */
async function bothChecked<P, A>(checks: [Promise<P>, Promise<A>]): Promise<[P, A]> {
  const [party, asset] = await Promise.allSettled(checks);
  if (party.status === 'rejected') throw party.reason;
  if (asset.status === 'rejected') throw asset.reason;
  return [party.value, asset.value];
}

/** The party's and asset's names of a view. */
export interface ContractNames {
  party: ReferenceName;
  asset: ReferenceName;
}

/** Names a write checked fresh with their owners go into leasing's copy, as of the check. */
async function rememberNames(
  trx: Kysely<LeasingDatabase>,
  checkedAt: Date,
  party: { id: string; name: string } | undefined,
  asset: (Parameters<typeof assetName>[0] & { id: string }) | undefined,
): Promise<void> {
  const names = new ReferenceNames(trx);
  if (party) await names.remember('party', party.id, party.name, checkedAt);
  if (asset) await names.remember('asset', asset.id, assetName(asset), checkedAt);
}

/** Four eyes as a problem: FOUR_EYES_REQUIRED for the author, FOUR_EYES_EDITOR for anyone who changed it. */
function refuseFourEyes(contract: ContractRow, decider: string): void {
  const refusal = fourEyesRefusal(contract, decider);
  if (refusal) throw leasingErrors.create[refusal.code](refusal.detail);
}

const TRANSITIONS_TO: Record<TransitionName, ContractStatus> = {
  approve: 'approved',
  reject: 'rejected',
  sign: 'signed',
  activate: 'active',
  close: 'closed',
  terminate: 'terminated',
  default: 'defaulted',
};

/** The contract's numbers, copied from the schedule it was made from. */
function termsOf(schedule: LeaseSchedule) {
  return {
    currency: schedule.currency,
    assetPrice: schedule.assetPrice,
    advance: schedule.advance,
    financedAmount: schedule.financedAmount,
    residualValue: schedule.residualValue,
    termMonths: schedule.termMonths,
    annualRate: schedule.annualRate,
    vatRate: schedule.vatRate,
    scheduleType: schedule.scheduleType,
    startDate: schedule.startDate,
  };
}

async function currentSchedule(contracts: ContractRepository, contract: ContractRow): Promise<LeaseSchedule> {
  const row = await contracts.schedule(contract.id, contract.scheduleVersion);
  if (!row) throw new Error(`Contract ${contract.id} lacks schedule version ${contract.scheduleVersion}`);
  return row.schedule as LeaseSchedule;
}

async function scheduleEventOf(
  contracts: ContractRepository,
  contract: Pick<ContractRow, 'id' | 'scheduleVersion'>,
) {
  const row = await contracts.schedule(contract.id, contract.scheduleVersion);
  if (!row) throw new Error(`Contract ${contract.id} lacks schedule version ${contract.scheduleVersion}`);
  return scheduleSnapshot(row.schedule as LeaseSchedule, row.version, row.effectiveFrom);
}

/** The schedule as the event catalogue's ScheduleSnapshot carries it. */
export function scheduleSnapshot(schedule: LeaseSchedule, version: number, effectiveFrom: string) {
  return {
    version,
    effectiveFrom,
    currency: schedule.currency,
    installments: schedule.installments.map((line) => ({
      n: line.n,
      dueDate: line.dueDate,
      payment: line.payment,
      principal: line.principal,
      interest: line.interest,
      vat: line.vat,
      balance: line.balance,
    })),
    totals: {
      payments: schedule.totals.payments,
      principal: schedule.totals.principal,
      interest: schedule.totals.interest,
      vat: schedule.totals.vat,
    },
  };
}

function settlementOf(quote: TerminationQuoteRow, currency: string) {
  const amounts = quote.quote as Record<string, string>;
  const money = (amount: string | undefined) => ({ amount: amount ?? '0', currency });
  return {
    terminationDate: quote.terminationDate,
    remainingPrincipal: money(amounts.remainingPrincipal),
    accruedInterest: money(amounts.accruedInterest),
    fee: money(amounts.fee),
    feeVat: money(amounts.feeVat),
    overdue: money(amounts.overdueTotal),
    total: money(amounts.total),
  };
}

/** Runs lease-math and answers its complaints as a 422 naming the request's fields. */
function leaseMath<T>(run: () => T, fields: Record<string, string> = {}): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof LeaseTermsError)) throw error;
    const errors = fieldErrorsOf(error).map((issue) => ({
      ...issue,
      field: fields[issue.field] ?? `/body${issue.field}`,
    }));
    throw leasingErrors.create.LEASE_TERMS_INVALID(error.message, { errors });
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const candidate = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    candidate?.code === '23505' &&
    (candidate.constraint === constraint || (candidate.message ?? '').includes(constraint))
  );
}
