import { randomUUID } from 'node:crypto';
import { paymentReference } from '@lessor/domain-values';
import { leasingEvents, type EventDataOf } from '@lessor/event-catalog';
import { auditService } from '@lessor/audit';
import { financeService } from '@lessor/finance';
import {
  startTestServices,
  type TestService,
  type TestServices,
  type TestServiceSpec,
  type TestSetup,
} from '@lessor/service-kit/testing';
import { billingInternals } from '../src/app.ts';
import { billingService } from '../src/billing.service.ts';
import type { paths } from '../openapi.ts';

// What billing's tests share beyond the runner: contracts as leasing's events carry them, and billing started
// with a business date the test moves, consuming leasing's events from a real leasing outbox.

export const LEASING_ACTOR = '0193a1b2-0000-7000-8000-00000000ae01';

type Activated = EventDataOf<typeof leasingEvents.contractActivated>;
type ContractSnapshot = Activated['contract'];
export type Installment = Omit<Activated['schedule']['installments'][number], 'payment' | 'balance'>;

/** A contract as leasing's events carry it, with its schedule. */
export interface TestContract {
  snapshot: ContractSnapshot;
  installments: Installment[];
}

let sequence = 0;

/**
 * Three monthly installments of 1000.00 principal with falling interest and 20 % VAT on the payment, an
 * advance of 1000.00 due on the start date 2026-01-31; tests override what they need.
 */
export function aContract(
  overrides: Partial<ContractSnapshot> & { installments?: Installment[] } = {},
): TestContract {
  sequence += 1;
  const number = `LC-LESSOR-2026-${String(100 + sequence).padStart(6, '0')}`;
  const { installments, ...snapshot } = overrides;
  return {
    snapshot: {
      id: randomUUID(),
      number,
      legalEntity: 'LESSOR',
      status: 'active',
      partyId: randomUUID(),
      assetId: randomUUID(),
      productId: randomUUID(),
      calculationId: randomUUID(),
      currency: 'EUR',
      assetPrice: '4000.00',
      advance: '1000.00',
      financedAmount: '3000.00',
      residualValue: '0.00',
      termMonths: 3,
      annualRate: '20',
      vatRate: '20',
      penaltyRate: '0.1',
      scheduleType: 'annuity',
      startDate: '2026-01-31',
      scheduleVersion: 1,
      paymentReference: paymentReference(number),
      ...snapshot,
    },
    installments: installments ?? [
      { n: 1, dueDate: '2026-02-28', principal: '1000.00', interest: '50.00', vat: '210.00' },
      { n: 2, dueDate: '2026-03-31', principal: '1000.00', interest: '33.33', vat: '206.67' },
      { n: 3, dueDate: '2026-04-30', principal: '1000.00', interest: '16.67', vat: '203.33' },
    ],
  };
}

/** The schedule snapshot of the catalogue from installments (payment, balance and totals computed). */
export function scheduleOf(
  contract: TestContract,
  version = 1,
  effectiveFrom?: string,
): Activated['schedule'] {
  const cents = (value: string) => Math.round(Number(value) * 100);
  const fmt = (value: number) => (value / 100).toFixed(2);
  let balance = cents(contract.snapshot.financedAmount) - cents(contract.snapshot.residualValue);
  const lines = contract.installments.map((line) => {
    balance -= cents(line.principal);
    return {
      ...line,
      payment: fmt(cents(line.principal) + cents(line.interest)),
      balance: fmt(balance + cents(contract.snapshot.residualValue)),
    };
  });
  const total = (field: 'principal' | 'interest' | 'vat' | 'payment') =>
    fmt(lines.reduce((sum, line) => sum + cents(line[field]), 0));
  return {
    version,
    effectiveFrom: effectiveFrom ?? contract.snapshot.startDate,
    currency: contract.snapshot.currency,
    installments: lines,
    totals: {
      payments: total('payment'),
      principal: total('principal'),
      interest: total('interest'),
      vat: total('vat'),
    },
  };
}

/** The contract events billing consumes. */
type ContractEvent =
  | typeof leasingEvents.contractActivated
  | typeof leasingEvents.contractRestructured
  | typeof leasingEvents.contractTerminated
  | typeof leasingEvents.contractClosed;
type TransitionFields = 'contractId' | 'from' | 'to' | 'businessDate' | 'contract';

const transitions = {
  [leasingEvents.contractActivated.type]: ['signed', 'active'],
  [leasingEvents.contractRestructured.type]: ['active', 'active'],
  [leasingEvents.contractTerminated.type]: ['active', 'terminated'],
  [leasingEvents.contractClosed.type]: ['active', 'closed'],
} as const;

/**
 * leasing's contract event about a test contract, as `publish` takes it: the definition, its data (the
 * transition, the contract as it is then, what the event adds) and a leasing user as its actor.
 */
export function contractEvent<Definition extends ContractEvent>(
  definition: Definition,
  contract: TestContract,
  extra: Omit<EventDataOf<Definition>, TransitionFields>,
  businessDate = '2026-01-31',
): [Definition, EventDataOf<Definition>, string] {
  const [from, to] = transitions[definition.type];
  const data = {
    contractId: contract.snapshot.id,
    from,
    to,
    businessDate,
    contract: { ...contract.snapshot, status: to },
    ...extra,
  } as EventDataOf<Definition>;
  return [definition, data, LEASING_ACTOR];
}

/** `contract.activated` of a test contract, with its schedule. */
export const activated = (contract: TestContract) =>
  contractEvent(leasingEvents.contractActivated, contract, { schedule: scheduleOf(contract) });

/** billing started by {@link startBilling}, with what its tests add to the runner's service. */
export type BillingWorld = TestServices &
  TestService & {
    /** A token with every billing permission. */
    admin: string;
    /** Publishes `contract.activated` and waits until billing has planned its invoices. */
    activate(contract: TestContract): Promise<any[]>;
    /** The contract’s invoices (every status), oldest due first, as the API lists them (`any`: tests index freely). */
    invoices(contractId: string): Promise<any[]>;
    /** Moves billing's (and finance's) business date. */
    setToday(date: string): void;
    /** Waits until the imports running in the background are done. */
    importsIdle(): Promise<void>;
  };

/**
 * billing on a fresh database, consuming leasing's contract events from a real leasing outbox, on the business
 * date `today` (2026-01-31 unless given) until the test moves it; its daily job off unless `env` turns it on.
 * audit and finance start beside it when asked, consuming its events as in the running system.
 */
export async function startBilling(
  setup: TestSetup,
  options: { env?: Record<string, string>; today?: string; audit?: boolean; finance?: boolean } = {},
): Promise<BillingWorld> {
  let today = options.today ?? '2026-01-31';
  const businessDate = () => today;
  const services: TestServiceSpec[] = [
    {
      definition: billingService,
      env: { BILLING_JOBS_ENABLED: 'false', ...options.env },
      options: { today: businessDate },
    },
  ];
  if (options.audit) services.push({ definition: auditService });
  if (options.finance)
    services.push({
      definition: financeService,
      env: { FINANCE_INCOME_JOB_INTERVAL_MS: '0' },
      options: { today: businessDate },
    });
  const system = await startTestServices({ setup, services, publishers: ['leasing'] });
  const billing = system.service('billing');
  const admin = await system.token(['billing:*:*'], 'user-billing-admin', 'Bea Billing');
  const api = billing.api<paths>(admin);
  const invoices = async (contractId: string) => {
    const answer = await api.GET('/v1/invoices', { params: { query: { contractId, limit: 200 } } });
    if (!answer.data) throw new Error(JSON.stringify(answer.error));
    return answer.data.items;
  };
  return Object.assign(Object.create(null) as object, system, billing, {
    close: system.close,
    admin,
    invoices,
    async activate(contract: TestContract) {
      await system.publish(...activated(contract));
      const expected = contract.installments.length + (Number(contract.snapshot.advance) > 0 ? 1 : 0);
      return system.until(async () => {
        const planned = await invoices(contract.snapshot.id);
        return planned.length === expected ? planned : undefined;
      }, `the invoices of ${contract.snapshot.number} planned`);
    },
    setToday(date: string) {
      today = date;
    },
    importsIdle: () => billingInternals(billing.app).imports.idle(),
  }) as BillingWorld;
}
