import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createTestIssuer, serveKeySet, type ServedKeySet } from '@lessor/auth/testing';
import { eventConsumers, validateEvent } from '@lessor/event-catalog';
import {
  createInProcessTransport,
  createRabbitTransport,
  eventMigrations,
  type EventEnvelope,
  type Transport,
} from '@lessor/events';
import { deleteTestNamespace, eventually, readOutbox, testAmqpUrl } from '@lessor/events/testing';
import { migrate, openDatabase, ServiceEvents, type Database, type ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  testBackends,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { buildApp as buildAudit, loadAuditConfig } from '@lessor/audit';
import { buildApp as buildFinance, loadFinanceConfig } from '@lessor/finance';
import { billingInternals, buildApp, loadBillingConfig } from '../src/index.ts';

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface Setup {
  backend: Backend;
  broker: 'in-process' | 'rabbitmq';
}

const amqpUrl = testAmqpUrl();

/** Embedded: the in-process bus, as `npm start` runs. Distributed: RabbitMQ when it answers, as CI runs it. */
export function testSetups(): Setup[] {
  const setups: Setup[] = [];
  for (const backend of testBackends()) {
    setups.push({ backend, broker: 'in-process' });
    if (amqpUrl) setups.push({ backend, broker: 'rabbitmq' });
  }
  return setups;
}

const silent = pino({ level: 'silent' });
const RETRY_DELAYS_MS = [50, 100];
export const LEASING_ACTOR = '0193a1b2-0000-7000-8000-00000000ae01';

/** leasing's rule: the contract number without dashes plus ISO 7064 mod-97 check digits. */
export function referenceOf(number: string): string {
  const body = number.replaceAll('-', '');
  const digits = [...`${body}00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return `${body}${String(98 - Number(BigInt(digits) % 97n)).padStart(2, '0')}`;
}

export interface Installment {
  n: number;
  dueDate: string;
  principal: string;
  interest: string;
  vat: string;
}

/** A contract as leasing's events carry it, with its schedule. */
export interface TestContract {
  snapshot: {
    id: string;
    number: string;
    legalEntity: string;
    status: string;
    partyId: string;
    assetId: string;
    productId: string;
    calculationId: string;
    currency: string;
    assetPrice: string;
    advance: string;
    financedAmount: string;
    residualValue: string;
    termMonths: number;
    annualRate: string;
    vatRate: string;
    penaltyRate: string;
    scheduleType: string;
    startDate: string;
    scheduleVersion: number;
    paymentReference: string;
  };
  installments: Installment[];
}

let sequence = 0;

/**
 * Three monthly installments of 1000.00 principal with falling interest and 20 % VAT on the payment, an
 * advance of 1000.00 due on the start date 2026-01-31; tests override what they need.
 */
export function aContract(
  overrides: Partial<TestContract['snapshot']> & { installments?: Installment[] } = {},
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
      paymentReference: referenceOf(number),
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
export function scheduleOf(contract: TestContract, version = 1, effectiveFrom?: string) {
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

export type ContractVerb = 'activated' | 'restructured' | 'terminated' | 'closed';

/** leasing's contract event about a test contract, as its outbox takes it (the actor is a leasing user). */
export function contractEvent(
  verb: ContractVerb,
  contract: TestContract,
  extra: Record<string, unknown> = {},
  businessDate = '2026-01-31',
) {
  const from = verb === 'activated' ? 'signed' : 'active';
  const to = { activated: 'active', restructured: 'active', terminated: 'terminated', closed: 'closed' }[
    verb
  ];
  return {
    type: `lessor.leasing.contract.${verb}.v1`,
    subject: contract.snapshot.id,
    actor: LEASING_ACTOR,
    data: {
      contractId: contract.snapshot.id,
      from,
      to,
      businessDate,
      contract: { ...contract.snapshot, status: to },
      ...(verb === 'activated' ? { schedule: scheduleOf(contract) } : {}),
      ...extra,
    },
  };
}

export interface BillingWorld {
  app: ServiceApp;
  database: TestDatabase<unknown>;
  /** A token with every billing permission. */
  admin: string;
  token(permissions: string[], userId?: string): Promise<string>;
  call(
    method: string,
    url: string,
    token: string | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** Leasing publishes a contract event from its outbox (a real outbox in its own schema), as its use cases do. */
  publish(
    verb: ContractVerb,
    contract: TestContract,
    extra?: Record<string, unknown>,
    businessDate?: string,
  ): Promise<EventEnvelope>;
  /** Waits until billing's consumer has handled (committed) this event. */
  handled(envelope: EventEnvelope): Promise<void>;
  /** Publishes `contract.activated` and waits until billing has planned its invoices. */
  activate(contract: TestContract): Promise<any[]>;
  /** The contract's invoices (every status), oldest due first. */
  invoices(contractId: string): Promise<any[]>;
  /** Waits until `check` holds (events travel asynchronously). */
  until<T>(check: () => Promise<T>, message?: string): Promise<Exclude<T, false | undefined>>;
  /** billing's published events, in order, optionally of one type; each checked against the catalogue. */
  outbox(type?: string): Promise<EventEnvelope[]>;
  setToday(date: string): void;
  /** Waits until the imports running in the background are done. */
  importsIdle(): Promise<void>;
  /** The audit service, consuming billing's events (when started with `audit: true`). */
  audit: ServiceApp | undefined;
  /** The finance service, posting billing's (and the test leasing's) events (when started with `finance: true`). */
  finance: ServiceApp | undefined;
  close(): Promise<void>;
}

/**
 * billing on a fresh database of the setup's backend, consuming from a leasing outbox in a second schema
 * of the same database (as in embedded mode) through the setup's transport, trusting a test issuer's keys.
 */
export async function startBillingWorld(
  setup: Setup,
  options: { env?: Record<string, string>; today?: string; audit?: boolean; finance?: boolean } = {},
): Promise<BillingWorld> {
  const namespace = `test-billing-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const database = await createTestDatabase<unknown>(setup.backend, { schema: 'billing' });
  const leasingDb: Database<unknown> = await openDatabase<unknown>({ schema: 'leasing', url: database.url });
  await migrate(leasingDb, eventMigrations);
  const transports: Transport[] = [];
  if (setup.broker === 'rabbitmq') {
    transports.push(
      createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'leasing' }),
      createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'billing' }),
      createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'audit' }),
      createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'finance' }),
    );
  } else {
    // One bus object for the process, as in embedded mode.
    const bus = createInProcessTransport({ db: database.db });
    transports.push(bus, bus, bus, bus);
  }
  const leasing = new ServiceEvents(
    'leasing',
    leasingDb.db,
    { transport: transports[0]! },
    silent,
    new Registry(),
  );
  await leasing.start();

  const issuer = await createTestIssuer();
  const keys: ServedKeySet = await serveKeySet(issuer);
  let today = options.today ?? '2026-01-31';
  const app = await buildApp({
    config: loadBillingConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      SSO_JWKS_URL: keys.jwksUrl,
      BILLING_JOBS_ENABLED: 'false',
      ...options.env,
    }),
    database,
    transport: transports[1]!,
    logger: silent,
    today: () => today,
    eventRetryDelaysMs: RETRY_DELAYS_MS,
  });
  await app.ready();
  // audit and finance each in its own schema of the same database, as in embedded mode (in production: their
  // own databases), started by their public entry (ADR 11).
  const neighbourDb = (schema: string) => openDatabase<unknown>({ schema, url: database.url });
  const audit = options.audit
    ? await buildAudit({
        config: loadAuditConfig({ PORT: '0', LOG_LEVEL: 'silent', SSO_JWKS_URL: keys.jwksUrl }),
        database: await neighbourDb('audit'),
        transport: transports[2]!,
        logger: silent,
      })
    : undefined;
  await audit?.ready();
  const finance = options.finance
    ? await buildFinance({
        config: loadFinanceConfig({
          PORT: '0',
          LOG_LEVEL: 'silent',
          SSO_JWKS_URL: keys.jwksUrl,
          FINANCE_INCOME_JOB_INTERVAL_MS: '0',
        }),
        database: await neighbourDb('finance'),
        transport: transports[3]!,
        logger: silent,
        today: () => today,
      })
    : undefined;
  await finance?.ready();
  const admin = await issuer.sign({
    sub: 'user-billing-admin',
    name: 'Bea Billing',
    permissions: ['billing:*:*'],
  });

  const call: BillingWorld['call'] = async (method, url, token, payload, headers = {}) => {
    const isText = typeof payload === 'string' || Buffer.isBuffer(payload);
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined
        ? {}
        : { payload: isText ? (payload as string | Buffer) : (payload as object) }),
    });
    return {
      status: response.statusCode,
      body: response.body ? safeJson(response.body) : undefined,
      headers: response.headers,
    };
  };
  const until: BillingWorld['until'] = (check, message) => eventually(check, { timeoutMs: 20_000, message });
  const invoices = async (contractId: string) => {
    const answer = await call('GET', `/v1/invoices?contractId=${contractId}&limit=200`, admin);
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
    return answer.body.items as any[];
  };

  const world: BillingWorld = {
    app,
    database,
    admin,
    token: (permissions, userId) =>
      issuer.sign({ permissions, name: 'Test User', ...(userId ? { sub: userId } : {}) }),
    call,
    async publish(verb, contract, extra = {}, businessDate = '2026-01-31') {
      const envelope = await leasingDb.db
        .transaction()
        .execute((trx) => leasing.publish(trx, contractEvent(verb, contract, extra, businessDate)));
      leasing.relay.wake();
      return envelope;
    },
    async handled(envelope) {
      await until(async () => {
        const { rows } = await sql`select 1 from inbox where event_id = ${envelope.id}`.execute(
          database.db.withoutPlugins(),
        );
        return rows.length > 0;
      }, `event ${envelope.type} handled`);
    },
    async activate(contract) {
      await world.publish('activated', contract);
      const expected = contract.installments.length + (Number(contract.snapshot.advance) > 0 ? 1 : 0);
      return until(async () => {
        const planned = await invoices(contract.snapshot.id);
        return planned.length === expected ? planned : undefined;
      }, `the invoices of ${contract.snapshot.number} planned`);
    },
    invoices,
    until,
    async outbox(type) {
      const events = await readOutbox(database.db, type === undefined ? {} : { type });
      for (const event of events) {
        const validation = validateEvent(event);
        if (!validation.ok)
          throw new Error(`${event.type} does not fit the catalogue: ${JSON.stringify(validation)}`);
      }
      return events;
    },
    setToday(date) {
      today = date;
    },
    importsIdle: () => billingInternals(app).imports.idle(),
    audit,
    finance,
    async close() {
      await finance?.close();
      await audit?.close();
      await app.close();
      await leasing.stop();
      for (const transport of new Set(transports)) await transport.close();
      await keys.close();
      await leasingDb.close();
      await database.dispose();
      if (setup.broker === 'rabbitmq') {
        await deleteTestNamespace(amqpUrl!, namespace, ['billing'], RETRY_DELAYS_MS).catch(() => {});
        const others = eventConsumers
          .map((consumer) => consumer.service)
          .filter((name) => name !== 'billing');
        await deleteTestNamespace(amqpUrl!, namespace, others).catch(() => {});
      }
    },
  };
  return world;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Amounts of a money object list, for short assertions. */
export const amounts = (items: { amount: string }[]) => items.map((item) => item.amount);
