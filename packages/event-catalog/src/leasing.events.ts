import { Type, type TProperties } from 'typebox';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import type { PublisherOf } from './event-type.ts';
import { oneOfLiterals } from './literals.ts';
import { BusinessDate, CurrencyCode, DecimalString, Money, ScheduleSnapshot } from './money.ts';

// The events of leasing: lease products, calculations (quotes) and contracts through their life. Assets
// follow the contract's status from them; billing plans invoices and finance posts the lease from
// `contract.activated` (it carries the schedule), and settles it from `contract.terminated`.

const Id = (description: string) => Type.String({ format: 'uuid', description });

const ContractStatus = oneOfLiterals(
  ['draft', 'approved', 'signed', 'active', 'closed', 'rejected', 'terminated', 'defaulted'],
  { description: 'draft → approved → signed → active → closed; or rejected, terminated, defaulted.' },
);

/** What another service may know of a lease product. */
export const ProductSnapshot = Type.Object({
  id: Id('The product id.'),
  code: Type.String({ description: 'Short unique code, e.g. `CAR-STD`.' }),
  name: Type.String(),
  currencies: Type.Array(CurrencyCode),
  scheduleTypes: Type.Array(Type.String()),
  minTermMonths: Type.Integer(),
  maxTermMonths: Type.Integer(),
  minRate: DecimalString('Lowest annual rate, percent.'),
  maxRate: DecimalString('Highest annual rate, percent.'),
  active: Type.Boolean({ description: 'False: no new calculations on it.' }),
});

/** What another service may know of a saved calculation (quote). */
export const CalculationSnapshot = Type.Object({
  id: Id('The calculation id.'),
  productId: Type.Union([Id('The product it was made on.'), Type.Null()], {
    description: 'The product it was made on; null for a calculation made without one (a quick quote).',
  }),
  scheduleType: Type.String(),
  termMonths: Type.Integer(),
  annualRate: DecimalString('Annual rate, percent.'),
  financedAmount: Money,
  effectiveRate: DecimalString('Effective annual rate (XIRR), percent.'),
});

/** What another service may know of a contract. */
export const ContractSnapshot = Type.Object({
  id: Id('The contract id.'),
  number: Type.String({ description: 'Human number, unique, e.g. `LC-2026-000042`.' }),
  legalEntity: Type.String({
    description: 'The lessor company that holds the contract (finance keeps books per entity).',
  }),
  status: ContractStatus,
  partyId: Id('The lessee (a party in the parties service).'),
  assetId: Id('The leased asset (in the assets service).'),
  productId: Id('The lease product.'),
  calculationId: Id('The calculation the contract was made from.'),
  currency: CurrencyCode,
  assetPrice: DecimalString('Price of the asset.'),
  advance: DecimalString('Advance paid on the start date.'),
  financedAmount: DecimalString('Asset price less the advance.'),
  residualValue: DecimalString('What the lessee pays to own the asset at the end.'),
  termMonths: Type.Integer(),
  annualRate: DecimalString('Annual rate, percent.'),
  vatRate: DecimalString('VAT rate, percent.'),
  penaltyRate: DecimalString('Daily penalty rate on overdue principal, percent per day.'),
  scheduleType: Type.String(),
  startDate: BusinessDate('The start date: the advance is due, installments count from it.'),
  scheduleVersion: Type.Integer({ minimum: 1 }),
  paymentReference: Type.String({
    description: 'What the lessee writes on a bank transfer; billing matches payments by it.',
  }),
});

const productChanges = defineChangeEvents({
  publisher: 'leasing',
  entity: 'product',
  snapshot: ProductSnapshot,
  description: 'A lease product sets the terms, rates, schedule types and currencies a calculation may use.',
});
const calculationChanges = defineChangeEvents({
  publisher: 'leasing',
  entity: 'calculation',
  snapshot: CalculationSnapshot,
  description: 'A calculation is a saved quote with its full schedule; a contract is made from one.',
});
const contractChanges = defineChangeEvents({
  publisher: 'leasing',
  entity: 'contract',
  snapshot: ContractSnapshot,
  description:
    'A contract leases one asset to one party. Status changes publish their own events (approved, signed, …); ' +
    'these change events cover drafts being made, edited, deleted and restored.',
});

const Transition = <Extra extends TProperties>(extra: Extra) =>
  Type.Object({
    contractId: Id('The contract.'),
    from: ContractStatus,
    to: ContractStatus,
    businessDate: BusinessDate('The business date of the transition.'),
    contract: ContractSnapshot,
    ...extra,
  });

const transition = <const Verb extends string, Extra extends TProperties = Record<never, never>>(
  verb: Verb,
  description: string,
  extra: Extra = {} as Extra,
) =>
  defineEvent({
    type: `lessor.leasing.contract.${verb}.v1`,
    publisher: 'leasing' as PublisherOf<`lessor.leasing.contract.${Verb}.v1`>,
    subject: 'contractId',
    description,
    data: Transition(extra),
  });

/** Every event leasing publishes, by name. */
export const leasingEvents = {
  productCreated: productChanges.created,
  productUpdated: productChanges.updated,
  productDeleted: productChanges.deleted,
  productRestored: productChanges.restored,
  calculationCreated: calculationChanges.created,
  calculationUpdated: calculationChanges.updated,
  calculationDeleted: calculationChanges.deleted,
  calculationRestored: calculationChanges.restored,
  contractCreated: contractChanges.created,
  contractUpdated: contractChanges.updated,
  contractDeleted: contractChanges.deleted,
  contractRestored: contractChanges.restored,

  contractApproved: transition(
    'approved',
    'Fires when a second person (not the contract’s author) approves a draft contract.',
  ),
  contractRejected: transition(
    'rejected',
    'Fires when an approver rejects a draft contract; it ends there.',
    {
      reason: Type.String({ description: 'Why it was rejected.' }),
    },
  ),
  contractSigned: transition(
    'signed',
    'Fires when the lessee has signed an approved contract. Assets reserves the asset.',
  ),
  contractActivated: transition(
    'activated',
    'Fires when a signed contract starts running: the asset is delivered and the schedule binds. Carries the ' +
      'schedule: billing plans invoices from it, finance books the net investment and the unearned income.',
    { schedule: ScheduleSnapshot },
  ),
  contractRestructured: transition(
    'restructured',
    'Fires when an active contract gets a new schedule version from a date (new term or rate for the unpaid ' +
      'part); installments due before that date are kept. Billing replaces the planned invoices from that date, ' +
      'and credits and invoices again those already issued at other amounts.',
    { schedule: ScheduleSnapshot },
  ),
  contractTerminated: transition(
    'terminated',
    'Fires when an early termination is executed: the lessee buys out or returns the asset before the end. ' +
      'Carries the settlement billing invoices and finance posts.',
    {
      settlement: Type.Object({
        terminationDate: BusinessDate('The date the contract ends.'),
        remainingPrincipal: Money,
        accruedInterest: Money,
        fee: Money,
        feeVat: Money,
        overdue: Money,
        total: Money,
      }),
    },
  ),
  contractClosed: transition(
    'closed',
    'Fires when an active contract ends normally (every installment due, the residual settled). Assets marks the ' +
      'asset returned, or sold when the lessee bought it.',
    {
      buyout: Type.Boolean({ description: 'True when the lessee bought the asset for the residual value.' }),
    },
  ),
  contractDefaulted: transition(
    'defaulted',
    'Fires when an active contract is declared in default (the lessee stopped paying); collection takes over.',
    { reason: Type.String({ description: 'Why it was declared in default.' }) },
  ),
};
