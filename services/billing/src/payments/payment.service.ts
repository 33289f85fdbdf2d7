import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import { AllocationRepository, type AllocationRow } from '../allocations/allocation.repository.ts';
import type { AllocationService } from '../allocations/allocation.service.ts';
import { billingErrors } from '../billing.errors.ts';
import type { BillingEvents } from '../billing.events.ts';
import { ContractRepository, type ContractRow } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { receivedAmountProblem } from '../money.ts';
import { matchPayment } from './payment-matcher.ts';
import {
  PaymentRepository,
  type NewPayment,
  type PaymentRow,
  type PaymentSearch,
} from './payment.repository.ts';
import type { RegisterPayment } from './payment.schemas.ts';

export interface PaymentServiceOptions {
  /** The legal entity of money that matches no contract. */
  legalEntity: string;
  today: () => string;
}

/**
 * Payments received: registered by hand or imported from a bank statement, matched to a contract by its
 * payment reference (or by hand later), and allocated to the contract's open invoices by the rules.
 */
export class PaymentService {
  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly events: BillingEvents,
    private readonly allocations: AllocationService,
    private readonly options: PaymentServiceOptions,
  ) {}

  list(query: PaymentSearch) {
    return new PaymentRepository(this.db).search(query);
  }

  async get(id: string): Promise<{ payment: PaymentRow; allocations: AllocationRow[] }> {
    const payment = await new PaymentRepository(this.db).find(id);
    if (!payment || payment.deletedAt) throw kitErrors.create.NOT_FOUND(`No payment ${id}`);
    return { payment, allocations: await new AllocationRepository(this.db).ofPayment(id) };
  }

  /**
   * A payment registered by hand. With `contractId` it goes to that contract; without, the reference finds
   * the contract, or the payment waits unmatched. An amount given as a plain decimal is in the contract's
   * currency.
   */
  async register(input: RegisterPayment, actor: string) {
    const named = input.contractId
      ? await this.#knownContract(input.contractId, '/body/contractId')
      : undefined;
    const given =
      typeof input.amount === 'string' ? { amount: input.amount, currency: undefined } : input.amount;
    let contract = named;
    let note: string | null = null;
    if (!contract) {
      const currency = given.currency;
      if (currency === undefined)
        throw validation('/body/amount', 'give {amount, currency} when the payment names no contract');
      const match = await matchPayment(this.db, input.reference, currency);
      if ('contract' in match) contract = match.contract;
      else note = match.note;
    }
    const currency = given.currency ?? contract!.currency;
    const pointer = typeof input.amount === 'string' ? '/body/amount' : '/body/amount/amount';
    const problem = receivedAmountProblem(given.amount, currency);
    if (problem)
      throw validation(problem.startsWith('currency') ? '/body/amount/currency' : pointer, problem);
    if (named && named.currency !== currency)
      throw billingErrors.create.PAYMENT_NOT_MATCHABLE(
        `The payment is in ${currency}, contract ${named.number} in ${named.currency}`,
      );
    if (input.bankReference) {
      const earlier = await new PaymentRepository(this.db).findByBankReference(input.bankReference);
      if (earlier) throw duplicate(earlier.id);
    }
    const payment = await this.receive(
      {
        legalEntity: contract?.legalEntity ?? this.options.legalEntity,
        contractId: contract?.id ?? null,
        partyId: contract?.partyId ?? null,
        status: contract ? 'matched' : 'unmatched',
        valueDate: input.valueDate,
        reference: input.reference,
        currency,
        amount: given.amount,
        unallocated: given.amount,
        source: 'manual',
        bankReference: input.bankReference ?? null,
        payerName: input.payerName ?? null,
        payerAccount: input.payerAccount ?? null,
        importId: null,
        importLine: null,
        matchDate: null,
        matchNote: note,
        creditNoteId: null,
      },
      actor,
    );
    if (!payment)
      throw duplicate((await new PaymentRepository(this.db).findByBankReference(input.bankReference!))!.id);
    return this.get(payment.id);
  }

  /**
   * Records money received, publishes `payment.received` and, when matched, allocates the contract's money,
   * in one transaction (on the contract's lock). Undefined when the bank reference was recorded before.
   */
  async receive(
    values: NewPayment,
    actor: string,
    trx?: Kysely<BillingDatabase>,
  ): Promise<PaymentRow | undefined> {
    const work = async (tx: Kysely<BillingDatabase>) => {
      const contract = values.contractId
        ? await new ContractRepository(tx).lock(values.contractId)
        : undefined;
      const payment = await new PaymentRepository(tx).insert(values, actor);
      if (!payment) return undefined;
      await this.events.paymentChanged(tx, 'created', null, payment, actor);
      await this.events.paymentReceived(tx, payment, actor);
      if (contract) await this.allocations.settle(tx, contract, actor);
      return payment;
    };
    return trx ? work(trx) : this.db.transaction().execute(work);
  }

  /** Matches an unmatched payment to a contract by hand: `payment.matched`, then allocation. */
  async match(id: string, contractId: string, actor: string) {
    await this.#knownContract(contractId, '/body/contractId');
    await this.db.transaction().execute(async (trx) => {
      const contract = (await new ContractRepository(trx).lock(contractId))!;
      const payments = new PaymentRepository(trx);
      const payment = await payments.lock(id);
      if (!payment || payment.deletedAt) throw kitErrors.create.NOT_FOUND(`No payment ${id}`);
      if (payment.status !== 'unmatched')
        throw billingErrors.create.PAYMENT_ALREADY_MATCHED(
          `Payment ${id} belongs to contract ${payment.contractId}`,
        );
      if (payment.currency !== contract.currency)
        throw billingErrors.create.PAYMENT_NOT_MATCHABLE(
          `The payment is in ${payment.currency}, contract ${contract.number} in ${contract.currency}`,
        );
      if (payment.legalEntity !== contract.legalEntity)
        throw billingErrors.create.PAYMENT_NOT_MATCHABLE(
          `The payment was received for ${payment.legalEntity}, contract ${contract.number} belongs to ${contract.legalEntity}`,
        );
      const matched = await payments.match(
        id,
        { contractId: contract.id, partyId: contract.partyId, legalEntity: contract.legalEntity },
        this.options.today(),
        actor,
      );
      await this.events.paymentChanged(trx, 'updated', payment, matched, actor);
      await this.events.paymentMatched(trx, matched, actor);
      await this.allocations.settle(trx, contract, actor);
    });
    return this.get(id);
  }

  async #knownContract(id: string, field: string): Promise<ContractRow> {
    const contract = await new ContractRepository(this.db).find(id);
    if (!contract)
      throw billingErrors.create.BILLING_CONTRACT_UNKNOWN(`Billing knows no contract ${id}`, {
        errors: [{ field, message: 'no contract billing has seen activated' }],
      });
    return contract;
  }
}

function validation(field: string, message: string) {
  return kitErrors.create.VALIDATION_FAILED(`${field.replace('/body/', '')} ${message}`, {
    errors: [{ field, message }],
  });
}

function duplicate(paymentId: string) {
  return billingErrors.create.PAYMENT_DUPLICATE(`Payment ${paymentId} has this bank reference`, {
    extensions: { paymentId },
  });
}
