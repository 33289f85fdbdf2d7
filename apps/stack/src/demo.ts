import type { Logger } from 'pino';
import { createServiceTokenProvider, type ServiceTokenProvider } from '@lessor/auth';
import {
  DEMO_ASSETS,
  DEMO_LEASES,
  DEMO_PARTIES,
  DEMO_PRODUCTS,
  type DemoAsset,
  type DemoLease,
  type DemoOutcome,
  type DemoParty,
  type DemoProduct,
} from './demo-data.ts';

/**
 * The service clients that make the demo data, and the scopes each needs: sales sets up products, parties,
 * assets and leases and runs them; risk checks parties (KYC) and decides on drafts. Two clients, because a
 * contract is approved by someone other than its author (four eyes), and a client counts as one person.
 */
export const DEMO_CLIENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'demo-sales': [
    'leasing:products:read',
    'leasing:products:write',
    'leasing:calculations:write',
    'leasing:contracts:read',
    'leasing:contracts:write',
    'leasing:contracts:sign',
    'leasing:contracts:activate',
    'leasing:contracts:close',
    'leasing:contracts:terminate',
    'parties:parties:read',
    'parties:parties:write',
    'assets:assets:read',
    'assets:assets:write',
    'assets:insurance:read',
    'assets:insurance:write',
  ],
  'demo-risk': ['leasing:contracts:read', 'leasing:contracts:approve', 'parties:kyc:write'],
};

export interface DemoOptions {
  /** Base URLs of the running services by name; sso, parties, assets and leasing are used. */
  urls: ReadonlyMap<string, string>;
  /** The demo clients' secrets as declared to sso (`newClientSecrets({ demo: true })`). */
  secrets: ReadonlyMap<string, string>;
  logger: Logger;
}

/** What the demo data amounts to after a run: found again or made now. */
export interface DemoSummary {
  products: number;
  parties: number;
  assets: number;
  /** Live demo contracts by status. */
  contracts: Record<string, number>;
  /** Leases whose story could not be played this time, with the reason. */
  failures: { lease: string; error: string }[];
}

/** What the banner says about the demo data. */
export type DemoState =
  { kind: 'off' } | { kind: 'seeded'; summary: DemoSummary } | { kind: 'failed'; error: string };

/**
 * The demo data of `npm start`, when enabled (LESSOR_DEMO, on by default): made on the first start, found
 * again on later ones. A failure is logged loudly and reported, never thrown: Lessor runs without its demo.
 */
export async function startDemo(enabled: boolean, options: DemoOptions): Promise<DemoState> {
  if (!enabled) return { kind: 'off' };
  try {
    const summary = await seedDemoData(options);
    for (const failure of summary.failures)
      options.logger.error({ lease: failure.lease, err: failure.error }, 'demo lease could not be played');
    return { kind: 'seeded', summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.logger.error({ err: error }, 'demo data could not be loaded; Lessor runs without it');
    return { kind: 'failed', error: message };
  }
}

/**
 * Plays the demo data through the services' own APIs, as the people of a leasing company would: sales sets
 * up the products, enters the parties and registers the assets, risk checks the parties' papers, then each
 * lease is priced, drafted and taken as far as its story goes. Idempotent: everything is looked up by its
 * natural key (product code, tax id or name, VIN or serial number, the contract on the asset) before it is
 * made, creates carry a fixed Idempotency-Key, and a contract only ever moves forward; a second run makes
 * nothing and costs a few dozen reads.
 */
export async function seedDemoData(options: DemoOptions): Promise<DemoSummary> {
  const sales = new Desk('demo-sales', options);
  const risk = new Desk('demo-risk', options);

  const products = new Map<string, Row>();
  for (const product of DEMO_PRODUCTS) products.set(product.code, await offerProduct(sales, product));
  const parties = new Map<string, Row>();
  for (const party of DEMO_PARTIES) parties.set(party.key, await onboardParty(sales, risk, party));
  const assets = new Map<string, Row>();
  for (const asset of DEMO_ASSETS) assets.set(asset.key, await registerAsset(sales, asset));

  const contracts: Record<string, number> = {};
  const failures: DemoSummary['failures'] = [];
  for (const lease of DEMO_LEASES) {
    try {
      const contract = await playLease(sales, risk, lease, {
        product: found(products, lease.product),
        party: found(parties, lease.party),
        asset: found(assets, lease.asset),
      });
      if (contract && !contract.deletedAt) contracts[contract.status] = (contracts[contract.status] ?? 0) + 1;
    } catch (error) {
      failures.push({ lease: lease.key, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { products: products.size, parties: parties.size, assets: assets.size, contracts, failures };
}

/** The part of every answer the script reads. */
interface Row {
  id: string;
  deletedAt: string | null;
}
interface Contract extends Row {
  status: string;
  createdBy: string;
}
interface Page<T> {
  items: T[];
}

/** Sales offers a product, unless one with its code exists. */
async function offerProduct(sales: Desk, product: DemoProduct): Promise<Row> {
  const offered = await sales.get<Page<Row & { code: string }>>(
    'leasing',
    '/v1/products?limit=200&deleted=include',
  );
  return (
    offered.items.find((candidate) => candidate.code === product.code) ??
    (await sales.post<Row>('leasing', '/v1/products', product, `demo-product-${product.code}`))
  );
}

/** Sales enters the party; risk checks its papers, so that its leases can be approved (KYC verified). */
async function onboardParty(sales: Desk, risk: Desk, demo: DemoParty): Promise<Row> {
  const { party } = demo;
  const query = party.taxId
    ? `taxId=${encodeURIComponent(party.taxId)}&country=${party.country}`
    : `q=${encodeURIComponent(party.name)}&kind=${party.kind}`;
  const known = await sales.get<Page<Row & { name: string; kycStatus: string }>>(
    'parties',
    `/v1/parties?${query}&deleted=include&limit=200`,
  );
  const entered =
    known.items.find((candidate) => party.taxId !== undefined || candidate.name === party.name) ??
    (await sales.post<Row & { kycStatus: string }>(
      'parties',
      '/v1/parties',
      party,
      `demo-party-${demo.key}`,
    ));
  if (demo.kyc.status === 'verified' && entered.kycStatus === 'pending' && !entered.deletedAt) {
    await risk.post('parties', `/v1/parties/${entered.id}/kyc`, {
      status: 'verified',
      reason: demo.kyc.reason,
    });
  }
  return entered;
}

/** Sales registers the asset and, where it has one, its insurance policy. */
async function registerAsset(sales: Desk, demo: DemoAsset): Promise<Row> {
  const identifier = demo.asset.vin ?? demo.asset.serialNumber ?? '';
  const known = await sales.get<Page<Row & { vin: string | null; serialNumber: string | null }>>(
    'assets',
    `/v1/assets?q=${encodeURIComponent(identifier)}&deleted=include&limit=200`,
  );
  const asset =
    known.items.find((candidate) => (candidate.vin ?? candidate.serialNumber) === identifier) ??
    (await sales.post<Row>('assets', '/v1/assets', demo.asset, `demo-asset-${demo.key}`));
  const { insurance } = demo;
  if (insurance && !asset.deletedAt) {
    const policies = await sales.get<Page<{ policyNumber: string }>>(
      'assets',
      `/v1/assets/${asset.id}/insurance-policies?deleted=include&limit=200`,
    );
    if (!policies.items.some((policy) => policy.policyNumber === insurance.policyNumber))
      await sales.post(
        'assets',
        `/v1/assets/${asset.id}/insurance-policies`,
        insurance,
        `demo-policy-${demo.key}`,
      );
  }
  return asset;
}

/** The statuses a demo contract passes through on its way to where its story ends. */
const STORY: Record<DemoOutcome, readonly string[]> = {
  draft: ['draft'],
  approved: ['draft', 'approved'],
  signed: ['draft', 'approved', 'signed'],
  active: ['draft', 'approved', 'signed', 'active'],
  closed: ['draft', 'approved', 'signed', 'active', 'closed'],
  terminated: ['draft', 'approved', 'signed', 'active', 'terminated'],
  rejected: ['draft', 'rejected'],
};

/**
 * One lease: sales prices it and drafts the contract, unless the asset already carries the demo's contract;
 * then the contract moves forward, one step at a time, to its story's end. A contract someone moved off the
 * story (or deleted) is left as it is.
 */
async function playLease(
  sales: Desk,
  risk: Desk,
  lease: DemoLease,
  on: { product: Row; party: Row; asset: Row },
): Promise<Contract | undefined> {
  let contract = await findLease(sales, on.asset);
  if (!contract) {
    // A party or asset someone deleted stays deleted: its lease is left out.
    if (on.party.deletedAt || on.asset.deletedAt) return undefined;
    contract = await draftLease(sales, lease, on);
  }
  const story = STORY[lease.outcome];
  while (!contract.deletedAt && contract.status !== lease.outcome) {
    const here = story.indexOf(contract.status);
    if (here < 0) break;
    contract = await takeStep(sales, risk, lease, contract, story[here + 1]!);
  }
  return contract;
}

/** The contract demo sales drafted on this asset, if any. */
async function findLease(sales: Desk, asset: Row): Promise<Contract | undefined> {
  const onAsset = await sales.get<Page<Contract>>(
    'leasing',
    `/v1/contracts?assetId=${asset.id}&deleted=include&limit=200`,
  );
  return onAsset.items.find((contract) => contract.createdBy === `client:${sales.clientId}`);
}

/** Sales prices the lease on its product, then drafts the contract from that calculation. */
async function draftLease(
  sales: Desk,
  lease: DemoLease,
  on: { product: Row; party: Row; asset: Row },
): Promise<Contract> {
  const calculation = await sales.post<Row>(
    'leasing',
    '/v1/calculations',
    { productId: on.product.id, ...lease.terms },
    `demo-calculation-${lease.key}`,
  );
  return sales.post<Contract>(
    'leasing',
    '/v1/contracts',
    { calculationId: calculation.id, partyId: on.party.id, assetId: on.asset.id },
    `demo-contract-${lease.key}`,
  );
}

/** The step that takes a contract to the next status of its story, on that step's business date. */
async function takeStep(
  sales: Desk,
  risk: Desk,
  lease: DemoLease,
  contract: Contract,
  next: string,
): Promise<Contract> {
  const path = `/v1/contracts/${contract.id}`;
  switch (next) {
    case 'approved':
      // Four eyes: risk approves what sales drafted.
      return risk.post('leasing', `${path}/approve`, { businessDate: dateOf(lease, lease.approvedOn) });
    case 'rejected': {
      const rejected = dateOf(lease, lease.rejected);
      return risk.post('leasing', `${path}/reject`, { businessDate: rejected.on, reason: rejected.reason });
    }
    case 'signed':
      return sales.post('leasing', `${path}/sign`, { businessDate: dateOf(lease, lease.signedOn) });
    case 'active':
      return sales.post('leasing', `${path}/activate`, { businessDate: dateOf(lease, lease.activatedOn) });
    case 'closed': {
      const closed = dateOf(lease, lease.closed);
      return sales.post('leasing', `${path}/close`, { businessDate: closed.on, buyout: closed.buyout });
    }
    case 'terminated': {
      // An early end: quote what the lessee owes at the date, then execute that quote.
      const quote = await sales.post<Row>('leasing', `${path}/termination-quotes`, {
        terminationDate: dateOf(lease, lease.terminatedOn),
      });
      return sales.post('leasing', `${path}/terminate`, { quoteId: quote.id });
    }
    default:
      throw new Error(`The demo has no step to a ${next} contract`);
  }
}

function dateOf<T>(lease: DemoLease, value: T | undefined): T {
  if (value === undefined) throw new Error(`Demo lease ${lease.key} lacks a date its story needs`);
  return value;
}

function found(rows: ReadonlyMap<string, Row>, key: string): Row {
  const row = rows.get(key);
  if (!row) throw new Error(`The demo data names ${key}, which it does not define`);
  return row;
}

/** Attempts at a call that met an outage; leasing answers 503 when parties or assets missed its deadline. */
const ATTEMPTS = 5;

/** One demo client at work: calls the services with a token of its own, as a script acting for a person. */
class Desk {
  readonly clientId: string;
  readonly #urls: ReadonlyMap<string, string>;
  readonly #token: ServiceTokenProvider;

  constructor(clientId: string, options: DemoOptions) {
    const sso = options.urls.get('sso');
    const secret = options.secrets.get(clientId);
    if (!sso || !secret) throw new Error(`demo client ${clientId} is not declared to sso (LESSOR_DEMO on?)`);
    this.clientId = clientId;
    this.#urls = options.urls;
    this.#token = createServiceTokenProvider({
      tokenUrl: `${sso}/v1/oauth/token`,
      clientId,
      clientSecret: secret,
      scopes: [...(DEMO_CLIENT_SCOPES[clientId] ?? [])],
    });
  }

  get<T>(service: string, path: string): Promise<T> {
    return this.#call<T>('GET', service, path);
  }

  post<T = Contract>(service: string, path: string, body: object, idempotencyKey?: string): Promise<T> {
    return this.#call<T>('POST', service, path, body, idempotencyKey);
  }

  async #call<T>(
    method: 'GET' | 'POST',
    service: string,
    path: string,
    body?: object,
    idempotencyKey?: string,
  ): Promise<T> {
    const base = this.#urls.get(service);
    if (!base) throw new Error(`demo data needs ${service}, which is not running`);
    for (let attempt = 1; ; attempt += 1) {
      let response: Response | undefined;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await this.#token.getToken()}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
      }
      if (response?.ok) return (await response.json()) as T;
      if (response) {
        const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
        if (response.status === 401 && attempt === 1) this.#token.invalidate();
        // Writes that need a fresh check change nothing when they answer 503: trying again is safe.
        else if (![502, 503, 504].includes(response.status) || attempt >= ATTEMPTS)
          throw new Error(
            `${this.clientId}: ${method} ${service} ${path} answered ${response.status}: ${problem.detail ?? problem.title ?? ''}`,
          );
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
