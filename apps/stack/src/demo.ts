/* eslint-disable security/detect-non-literal-fs-filename -- the one file it writes is demo-users.txt in the data directory */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createServiceTokenProvider, type ServiceTokenProvider } from '@lessor/auth';
import { loadStackConfig } from './config.ts';
import {
  addDays,
  DEMO_PARTIES,
  DEMO_PRODUCTS,
  DEMO_USERS,
  demoAssets,
  demoLeases,
  type DemoAsset,
  type DemoLease,
  type DemoOutcome,
  type DemoParty,
  type DemoProduct,
  type DemoRole,
  type DemoUser,
} from './demo-data.ts';

/**
 * The one service client of the demo, and its scopes: it only makes the demo users (one per starter role of
 * sso) and reads the roles to give them. Everything else is done by those users, each with their own role's
 * permissions, so the audit trail names people and four eyes are two people (risk approves what sales drafted).
 */
export const DEMO_CLIENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'demo-setup': ['sso:users:read', 'sso:users:write', 'sso:roles:read'],
};

/** Where the demo users' passwords are written, once, in the data directory (mode 0600). */
export const DEMO_USERS_FILE = 'demo-users.txt';

export interface DemoOptions {
  /** Base URLs of the running services by name. */
  urls: ReadonlyMap<string, string>;
  /** The demo client's secret as declared to sso (`newClientSecrets({ demo: true })`). */
  secrets: ReadonlyMap<string, string>;
  logger: Logger;
  /** The day the story is told from (`YYYY-MM-DD`); default today (UTC). Tests fix it. */
  today?: string;
  /** Where `demo-users.txt` goes; default LESSOR_DATA_DIR (`./data`). */
  dataDir?: string;
  /**
   * Sets billing's business date while the demo replays its past (undefined: today again), resolving once
   * billing has it. Default: `setReplayDate`, for a billing in this process; `npm start` runs billing in a
   * process of its own and forwards the date to it.
   */
  businessDate?: (day: string | undefined) => Promise<void>;
}

/** What the demo data amounts to after a run: found again or made now. */
export interface DemoSummary {
  products: number;
  parties: number;
  assets: number;
  /** Live demo contracts by status. */
  contracts: Record<string, number>;
  /** The demo users (username → role), and the file that has their passwords. */
  users: Record<string, string>;
  usersFile: string;
  /** Invoices issued, bank statement lines imported, penalty days charged by this run (0 on later starts). */
  money: { invoicesIssued: number; statementLines: number; penaltyDays: number };
  /** Parts of the story that could not be played this time, with the reason. */
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
      options.logger.error({ lease: failure.lease, err: failure.error }, 'demo story could not be played');
    return { kind: 'seeded', summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.logger.error({ err: error }, 'demo data could not be loaded; Lessor runs without it');
    return { kind: 'failed', error: message };
  } finally {
    await (options.businessDate ?? setReplayDate)(undefined).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------
// Billing's business day while the demo replays its past.

let replayDate: string | undefined;

/** Sets `stackBusinessDate` in this process (a billing built here reads it); undefined: today again. */
export async function setReplayDate(day: string | undefined): Promise<void> {
  replayDate = day;
}

/**
 * Billing's business date in the embedded stack (`system.ts` builds billing with it): today (UTC), except
 * while the demo replays the months before its first start. Billing dates an invoice the day it issues it
 * (never the planned day), and a penalty runs from the day after an invoice was issued; a story of leases
 * that began a year ago therefore needs each month's billing run on that month's day, or every invoice would
 * say it was issued today and none could be overdue. The demo sets the date for each of those runs, one
 * after the other and never backwards, and clears it before it returns.
 */
export function stackBusinessDate(): string {
  return replayDate ?? new Date().toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Plays the demo data through the services' own APIs, as the people of a leasing company would, dated from
 * `today`: the demo users are made (one per starter role); sales sets up the products, enters the parties and
 * registers the assets, risk checks the parties' papers; each lease is priced, drafted by sales, approved by
 * risk and taken as far as its story goes, on its story's business dates. Billing then replays the months
 * since the oldest lease began (a billing run on each day invoices were due), the accountant imports the
 * bank statement with the customers' payments and registers one transfer by hand, and collections runs the
 * penalties up to yesterday, which also records the dunning levels.
 *
 * Idempotent: everything is looked up by its natural key (username, product code, tax id or name, VIN or
 * serial number, the contract on the asset) before it is made, creates carry a fixed Idempotency-Key, a
 * contract only ever moves forward, and the money part runs only in the run that activated the leases; a
 * second start makes nothing and costs a few dozen reads.
 */
export async function seedDemoData(options: DemoOptions): Promise<DemoSummary> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const dataDir = options.dataDir ?? loadStackConfig().LESSOR_DATA_DIR;
  const usersFile = join(dataDir, DEMO_USERS_FILE);
  const failures: DemoSummary['failures'] = [];
  const clock = stopwatch();
  const team = await enlistTeam(options, usersFile, failures);
  clock.lap('users');
  const sales = team.who('leasing:contracts:write', ['sales', 'admin']);

  // Side by side where nothing depends on another: each is looked up by its own key, made with its own key.
  const [products, parties, assets] = await Promise.all([
    keyed(
      DEMO_PRODUCTS,
      (product) => product.code,
      (product) => offerProduct(team, product),
    ),
    keyed(
      DEMO_PARTIES,
      (party) => party.key,
      (party) => onboardParty(team, party),
    ),
    keyed(
      demoAssets(today),
      (asset) => asset.key,
      (asset) => registerAsset(team, asset),
    ),
  ]);
  clock.lap('master data');

  const contracts: Record<string, number> = {};
  const billed: Billed[] = [];
  // One after the other: leasing checks the party and the asset with parties and assets on a short deadline,
  // which many contracts at once on a busy first start would miss.
  for (const lease of demoLeases(today)) {
    try {
      const played = await playLease(team, sales, lease, {
        product: found(products, lease.product),
        party: found(parties, lease.party),
        asset: found(assets, lease.asset),
      });
      const contract = played?.contract;
      if (contract && !contract.deletedAt) contracts[contract.status] = (contracts[contract.status] ?? 0) + 1;
      if (contract && played.activatedNow) billed.push({ lease, contract });
    } catch (error) {
      failures.push({ lease: lease.key, error: error instanceof Error ? error.message : String(error) });
    }
  }
  clock.lap('leases');
  let money: DemoSummary['money'] = { invoicesIssued: 0, statementLines: 0, penaltyDays: 0 };
  if (billed.length > 0) {
    try {
      money = await playMoney(team, billed, today, clock, options.businessDate ?? setReplayDate);
    } catch (error) {
      failures.push({ lease: 'billing', error: error instanceof Error ? error.message : String(error) });
    }
  }
  options.logger.info({ today, ms: clock.laps }, 'demo data seeded');
  return {
    products: products.size,
    parties: parties.size,
    assets: assets.size,
    contracts,
    users: Object.fromEntries([...team.members.values()].map((member) => [member.username, member.role])),
    usersFile,
    money,
    failures,
  };
}

/** The part of every answer the script reads. */
interface Row {
  id: string;
  deletedAt: string | null;
}
interface Contract extends Row {
  status: string;
  createdBy: string;
  number: string;
  paymentReference: string;
}
interface Invoice {
  id: string;
  number: string | null;
  kind: string;
  status: string;
  issueDate: string;
  dueDate: string;
  total: { amount: string; currency: string };
  openAmount: { amount: string; currency: string };
}
interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
interface Billed {
  lease: DemoLease;
  contract: Contract;
}

// ---------------------------------------------------------------------------------------------------------
// Calling the services.

/** Where a caller's bearer token comes from, and how to drop one the service no longer takes. */
interface TokenSource {
  getToken(): Promise<string>;
  invalidate(): void;
}

function clientToken(clientId: string, options: DemoOptions): ServiceTokenProvider {
  const sso = options.urls.get('sso');
  const secret = options.secrets.get(clientId);
  if (!sso || !secret) throw new Error(`demo client ${clientId} is not declared to sso (LESSOR_DEMO on?)`);
  return createServiceTokenProvider({
    tokenUrl: `${sso}/v1/oauth/token`,
    clientId,
    clientSecret: secret,
    scopes: [...(DEMO_CLIENT_SCOPES[clientId] ?? [])],
  });
}

/** A user's token from sso's sign-in, signed in again when a service stops taking it. */
function userToken(urls: ReadonlyMap<string, string>, username: string, password: string): TokenSource {
  let token: Promise<string> | undefined;
  const signIn = async () => {
    const response = await fetch(`${urls.get('sso')}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`demo user ${username} could not sign in: ${response.status}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  };
  return {
    getToken: () => {
      token ??= signIn().catch((error: unknown) => {
        token = undefined;
        throw error;
      });
      return token;
    },
    invalidate: () => {
      token = undefined;
    },
  };
}

/** Attempts at a call that met an outage; leasing answers 503 when parties or assets missed its deadline. */
const ATTEMPTS = 5;

/** Someone at work: calls the services with their token, as a script acting for a person. */
class Caller {
  constructor(
    readonly name: string,
    private readonly urls: ReadonlyMap<string, string>,
    private readonly token: TokenSource,
  ) {}

  get<T>(service: string, path: string): Promise<T> {
    return this.send<T>('GET', service, path);
  }

  post<T = Contract>(service: string, path: string, body: object, idempotencyKey?: string): Promise<T> {
    return this.send<T>(
      'POST',
      service,
      path,
      { text: JSON.stringify(body), type: 'application/json' },
      idempotencyKey,
    );
  }

  async send<T>(
    method: 'GET' | 'POST',
    service: string,
    path: string,
    body?: { text: string; type: string },
    idempotencyKey?: string,
  ): Promise<T> {
    const base = this.urls.get(service);
    if (!base) throw new Error(`demo data needs ${service}, which is not running`);
    for (let attempt = 1; ; attempt += 1) {
      let response: Response | undefined;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await this.token.getToken()}`,
            ...(body ? { 'content-type': body.type } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body ? { body: body.text } : {}),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
      }
      if (response?.ok) return (await response.json()) as T;
      if (response) {
        const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
        if (response.status === 401 && attempt === 1) this.token.invalidate();
        // Writes that need a fresh check change nothing when they answer 503: trying again is safe.
        else if (![502, 503, 504].includes(response.status) || attempt >= ATTEMPTS)
          throw new Error(
            `${this.name}: ${method} ${service} ${path} answered ${response.status}: ${problem.detail ?? problem.title ?? ''}`,
          );
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The team: a demo user per starter role.

/** The demo users who play the story, by role, and who may do what. */
class Team {
  readonly members = new Map<DemoRole, Member>();

  /** The first member, in the order of `roles`, whose role grants `permission`. */
  who(permission: string, roles: readonly DemoRole[], not?: string): Member {
    for (const role of roles) {
      const member = this.members.get(role);
      if (member && member.may(permission) && member.id !== not) return member;
    }
    throw new Error(
      `no demo user (${roles.join(', ')}) may ${permission}${not ? ' other than its author' : ''}: check the starter roles in sso`,
    );
  }
}

/**
 * Makes sure each demo user exists with its starter role. Roles are sso's (its bootstrap makes them): a role
 * that does not exist is reported, never made here. A new user gets a generated password, appended at once to
 * `demo-users.txt` (mode 0600) and never logged; a user made by an earlier start signs in with the password
 * that file keeps.
 */
async function enlistTeam(
  options: DemoOptions,
  usersFile: string,
  failures: DemoSummary['failures'],
): Promise<Team> {
  const setup = new Caller('demo-setup', options.urls, clientToken('demo-setup', options));
  const [roles, known, passwords] = await Promise.all([
    setup.get<Page<{ id: string; name: string; permissions: string[] }>>('sso', '/v1/roles?limit=200'),
    setup.get<Page<{ id: string; username: string }>>('sso', '/v1/users?q=demo.&limit=200'),
    readPasswords(usersFile),
  ]);
  const team = new Team();
  // Made side by side: each new user costs sso a password hash.
  await Promise.all(
    DEMO_USERS.map(async (user) => {
      const role = roles.items.find((candidate) => candidate.name === user.role);
      if (!role) {
        failures.push({ lease: user.username, error: `sso has no role ${user.role}` });
        return;
      }
      let password = passwords.get(user.username);
      let id = known.items.find((candidate) => candidate.username === user.username)?.id;
      if (!id) {
        password = randomBytes(18).toString('base64url');
        id = (
          await setup.post<{ id: string }>('sso', '/v1/users', {
            username: user.username,
            fullName: user.fullName,
            email: user.email,
            password,
            roleIds: [role.id],
          })
        ).id;
        await writePassword(usersFile, user, password);
      }
      if (!password) {
        failures.push({ lease: user.username, error: `its password is not in ${usersFile}` });
        return;
      }
      // Signs in the first time the story needs them.
      const token = userToken(options.urls, user.username, password);
      team.members.set(
        user.role,
        new Member(options.urls, user.username, user.role, id, role.permissions, token),
      );
    }),
  );
  return team;
}

async function readPasswords(file: string): Promise<Map<string, string>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const passwords = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [username, , password] = line.trim().split(/\s+/);
    if (username && password && !username.startsWith('#')) passwords.set(username, password);
  }
  return passwords;
}

let writing: Promise<void> = Promise.resolve();

/** Appends a user's line (one write at a time: users are made side by side). */
function writePassword(file: string, user: DemoUser, password: string): Promise<void> {
  writing = writing.then(() => appendPassword(file, user, password));
  return writing;
}

async function appendPassword(file: string, user: DemoUser, password: string): Promise<void> {
  const exists = await readFile(file).then(
    () => true,
    () => false,
  );
  const header = exists
    ? ''
    : '# Demo users made by the first start of Lessor (LESSOR_DEMO): username, role, password.\n' +
      '# Sign in at the admin UI as any of them; disable them under Administration → Users.\n';
  await mkdir(join(file, '..'), { recursive: true });
  await appendFile(file, `${header}${user.username.padEnd(18)} ${user.role.padEnd(12)} ${password}\n`, {
    mode: 0o600,
  });
  await chmod(file, 0o600);
}

/** A demo user signed in: calls the services with their own token, as the admin UI does for a person. */
class Member extends Caller {
  constructor(
    urls: ReadonlyMap<string, string>,
    readonly username: string,
    readonly role: DemoRole,
    readonly id: string,
    readonly permissions: readonly string[],
    token: TokenSource,
  ) {
    super(username, urls, token);
  }

  /** Whether the role grants `permission` (`*` stands for any part, as in the admin role's `*:*:*`). */
  may(permission: string): boolean {
    const wanted = permission.split(':');
    return this.permissions.some((granted) =>
      granted.split(':').every((part, index) => part === '*' || part === wanted[index]),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Master data.

/** Sales (or whoever may) offers a product, unless one with its code exists. */
async function offerProduct(team: Team, product: DemoProduct): Promise<Row> {
  const desk = team.who('leasing:products:write', ['sales', 'risk', 'admin']);
  const offered = await desk.get<Page<Row & { code: string }>>(
    'leasing',
    '/v1/products?limit=200&deleted=include',
  );
  return (
    offered.items.find((candidate) => candidate.code === product.code) ??
    (await desk.post<Row>('leasing', '/v1/products', product, `demo-product-${product.code}`))
  );
}

/** Sales enters the party; risk checks its papers, so that its leases can be approved (KYC verified). */
async function onboardParty(team: Team, demo: DemoParty): Promise<Row> {
  const { party } = demo;
  const sales = team.who('parties:parties:write', ['sales', 'admin']);
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
    await team.who('parties:kyc:write', ['risk', 'admin']).post('parties', `/v1/parties/${entered.id}/kyc`, {
      status: 'verified',
      reason: demo.kyc.reason,
    });
  }
  return entered;
}

/** Sales registers the asset and, where it has one, its insurance policy. */
async function registerAsset(team: Team, demo: DemoAsset): Promise<Row> {
  const sales = team.who('assets:assets:write', ['sales', 'admin']);
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
    const insurer = team.who('assets:insurance:write', ['sales', 'risk', 'admin']);
    const policies = await insurer.get<Page<{ policyNumber: string }>>(
      'assets',
      `/v1/assets/${asset.id}/insurance-policies?deleted=include&limit=200`,
    );
    if (!policies.items.some((policy) => policy.policyNumber === insurance.policyNumber))
      await insurer.post(
        'assets',
        `/v1/assets/${asset.id}/insurance-policies`,
        insurance,
        `demo-policy-${demo.key}`,
      );
  }
  return asset;
}

// ---------------------------------------------------------------------------------------------------------
// Leases.

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
  team: Team,
  sales: Member,
  lease: DemoLease,
  on: { product: Row; party: Row; asset: Row },
): Promise<{ contract: Contract; activatedNow: boolean } | undefined> {
  let contract = await findLease(sales, on.asset);
  if (!contract) {
    // A party or asset someone deleted stays deleted: its lease is left out.
    if (on.party.deletedAt || on.asset.deletedAt) return undefined;
    contract = await draftLease(sales, lease, on);
  }
  const story = STORY[lease.outcome];
  let activatedNow = false;
  while (!contract.deletedAt && contract.status !== lease.outcome) {
    const here = story.indexOf(contract.status);
    if (here < 0) break;
    const next = story[here + 1]!;
    contract = await takeStep(team, lease, contract, next);
    if (next === 'active') activatedNow = true;
  }
  return { contract, activatedNow };
}

/** The contract the demo's sales user drafted on this asset, if any. */
async function findLease(sales: Member, asset: Row): Promise<Contract | undefined> {
  const onAsset = await sales.get<Page<Contract>>(
    'leasing',
    `/v1/contracts?assetId=${asset.id}&deleted=include&limit=200`,
  );
  return onAsset.items.find((contract) => contract.createdBy === sales.id);
}

/** Sales prices the lease on its product, then drafts the contract from that calculation. */
async function draftLease(
  sales: Member,
  lease: DemoLease,
  on: { product: Row; party: Row; asset: Row },
): Promise<Contract> {
  const calculation = await sales.post<Row>(
    'leasing',
    '/v1/calculations',
    { productId: on.product.id, ...lease.terms },
    `demo-calculation-${lease.key}-${lease.terms.startDate}`,
  );
  return sales.post<Contract>(
    'leasing',
    '/v1/contracts',
    { calculationId: calculation.id, partyId: on.party.id, assetId: on.asset.id },
    `demo-contract-${lease.key}-${lease.terms.startDate}`,
  );
}

/** The step that takes a contract to the next status of its story, on that step's business date. */
async function takeStep(team: Team, lease: DemoLease, contract: Contract, next: string): Promise<Contract> {
  const path = `/v1/contracts/${contract.id}`;
  // Sales signs; risk activates, closes and terminates (the starter roles' split); an administrator may all.
  const runner = (permission: string) => team.who(permission, ['sales', 'risk', 'admin']);
  switch (next) {
    case 'approved':
      // Four eyes: risk approves what sales drafted, never its author.
      return team
        .who('leasing:contracts:approve', ['risk', 'admin'], contract.createdBy)
        .post('leasing', `${path}/approve`, { businessDate: dateOf(lease, lease.approvedOn) });
    case 'rejected': {
      const rejected = dateOf(lease, lease.rejected);
      return team
        .who('leasing:contracts:approve', ['risk', 'admin'], contract.createdBy)
        .post('leasing', `${path}/reject`, { businessDate: rejected.on, reason: rejected.reason });
    }
    case 'signed':
      return runner('leasing:contracts:sign').post('leasing', `${path}/sign`, {
        businessDate: dateOf(lease, lease.signedOn),
      });
    case 'active':
      return runner('leasing:contracts:activate').post('leasing', `${path}/activate`, {
        businessDate: dateOf(lease, lease.activatedOn),
      });
    case 'closed': {
      const closed = dateOf(lease, lease.closed);
      return runner('leasing:contracts:close').post('leasing', `${path}/close`, {
        businessDate: closed.on,
        buyout: closed.buyout,
      });
    }
    case 'terminated': {
      // An early end: quote what the lessee owes at the date, then execute that quote.
      const desk = runner('leasing:contracts:terminate');
      const quote = await desk.post<Row>('leasing', `${path}/termination-quotes`, {
        terminationDate: dateOf(lease, lease.terminatedOn),
      });
      return desk.post('leasing', `${path}/terminate`, { quoteId: quote.id });
    }
    default:
      throw new Error(`The demo has no step to a ${next} contract`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Money: the months since the oldest lease began, billed, paid, and charged for being late.

/**
 * Once billing has planned the invoices of the leases activated now (it learns them from leasing's events):
 * a billing run on each day an invoice was due for issue, up to today, with billing's business date set to
 * that day; the bank statement of what the lessees paid (camt.053, imported by the accountant), a termination
 * paid by a transfer registered by hand, and the penalty run up to yesterday (collections), which charges each
 * late day and records the dunning levels reached.
 */
async function playMoney(
  team: Team,
  billed: readonly Billed[],
  today: string,
  clock: Stopwatch,
  businessDate: (day: string | undefined) => Promise<void>,
): Promise<DemoSummary['money']> {
  const reader = team.who('billing:invoices:read', ['accountant', 'collections', 'admin']);
  const runner = team.who('billing:runs:write', ['accountant', 'collections', 'admin']);
  const cashier = team.who('billing:payments:write', ['accountant', 'collections', 'admin']);
  const collections = team.who('billing:runs:write', ['collections', 'accountant', 'admin']);

  const planned = await waitForBilling(reader, billed);
  clock.lap('billing planned');
  const days = [...new Set(planned.flatMap((invoices) => invoices.map((invoice) => invoice.issueDate)))]
    .filter((day) => day <= today)
    .sort();
  let invoicesIssued = 0;
  try {
    for (const day of days) {
      await businessDate(day);
      const run = await runner.post<{ issued?: unknown[]; count?: number }>('billing', '/v1/billing-runs', {
        upTo: day,
      });
      invoicesIssued += run.count ?? run.issued?.length ?? 0;
    }
  } finally {
    await businessDate(undefined);
  }
  clock.lap('billing runs');

  // What each lessee paid, on the due date of each invoice, up to the day its story says it stopped paying.
  const entries: StatementEntry[] = [];
  const byHand: { contract: Contract; invoice: Invoice }[] = [];
  for (const { lease, contract } of billed) {
    const invoices = await listInvoices(reader, contract.id);
    for (const invoice of invoices) {
      if (!invoice.number || invoice.status === 'cancelled' || invoice.dueDate > today) continue;
      if (!lease.pays || invoice.dueDate > lease.pays.until) continue;
      if (invoice.kind === 'termination') byHand.push({ contract, invoice });
      else entries.push({ contract, invoice, payer: partyName(lease.party) });
    }
  }
  entries.sort((a, b) => a.invoice.dueDate.localeCompare(b.invoice.dueDate));
  const statementLines = await importStatement(cashier, entries, today);
  clock.lap('bank statement');

  for (const { contract, invoice } of byHand)
    await cashier
      .post('billing', '/v1/payments', {
        contractId: contract.id,
        amount: invoice.total,
        valueDate: invoice.dueDate,
        reference: contract.paymentReference,
        bankReference: `DEMO-${invoice.number}`,
        payerName: partyName(billed.find((entry) => entry.contract.id === contract.id)!.lease.party),
      })
      .catch((error: unknown) => {
        // Registered by an earlier run that stopped half-way: the same bank reference is refused.
        if (!String(error).includes('409')) throw error;
      });

  const penalties = await collections.post<{ penalties?: unknown[]; count?: number }>(
    'billing',
    '/v1/penalty-runs',
    { upTo: addDays(today, -1) },
  );
  clock.lap('payment and penalties');
  return {
    invoicesIssued,
    statementLines,
    penaltyDays: penalties.count ?? penalties.penalties?.length ?? 0,
  };
}

/**
 * Billing plans a contract's invoices when it handles leasing's `activated` (and a termination's or buyout's
 * invoice on `terminated` or `closed`): waits, up to half a minute, until every lease has them.
 */
async function waitForBilling(reader: Member, billed: readonly Billed[]): Promise<Invoice[][]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const all = await Promise.all(billed.map(({ contract }) => listInvoices(reader, contract.id)));
    const ready = billed.every(({ contract, lease }, index) => {
      const kinds = new Set(all[index]!.map((invoice) => invoice.kind));
      if (kinds.size === 0) return false;
      if (contract.status === 'terminated') return kinds.has('termination');
      if (contract.status === 'closed' && lease.closed?.buyout) return kinds.has('buyout');
      return true;
    });
    if (ready) return all.map((invoices) => invoices.filter((invoice) => invoice.status === 'planned'));
    if (Date.now() > deadline)
      throw new Error('billing has not planned the invoices of the demo leases within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function listInvoices(reader: Member, contractId: string): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  let cursor: string | null | undefined;
  do {
    const page: Page<Invoice> = await reader.get(
      'billing',
      `/v1/invoices?contractId=${contractId}&sort=dueDate&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    invoices.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return invoices;
}

interface StatementEntry {
  contract: Contract;
  invoice: Invoice;
  payer: string;
}

/**
 * The lessor's bank statement as camt.053 (one entry per transfer, the contract's payment reference in the
 * structured remittance), with one transfer whose reference was mistyped: it waits on the unmatched list.
 * Imported by the accountant; waits until every line is done and answers how many there were.
 */
async function importStatement(cashier: Member, entries: StatementEntry[], today: string): Promise<number> {
  if (entries.length === 0) return 0;
  const mistyped = entries.at(-1)!;
  const lines = [
    ...entries.map(({ contract, invoice, payer }) =>
      camtEntry({
        bankReference: `DEMO-${invoice.number}`,
        amount: invoice.total.amount,
        currency: invoice.total.currency,
        valueDate: invoice.dueDate,
        payer,
        reference: contract.paymentReference,
      }),
    ),
    camtEntry({
      bankReference: `DEMO-${today}-UNMATCHED`,
      amount: '250.00',
      currency: mistyped.invoice.total.currency,
      valueDate: addDays(today, -1),
      payer: mistyped.payer,
      // Two digits swapped: the check digits say it is mistyped, so billing does not guess.
      reference: swapTwo(mistyped.contract.paymentReference),
    }),
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>DEMO-${today}</MsgId><CreDtTm>${today}T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>DEMO-STMT-${today}</Id>
${lines.join('\n')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
  const started = await cashier.send<{ id: string; status: string }>(
    'POST',
    'billing',
    `/v1/imports?format=camt053&fileName=${encodeURIComponent(`bank-statement-${today}.xml`)}`,
    { text: xml, type: 'application/xml' },
  );
  const deadline = Date.now() + 60_000;
  let job = started;
  while (job.status !== 'completed') {
    if (Date.now() > deadline)
      throw new Error('the demo bank statement did not finish importing within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
    job = await cashier.get('billing', `/v1/imports/${started.id}`);
  }
  return lines.length;
}

function camtEntry(entry: {
  bankReference: string;
  amount: string;
  currency: string;
  valueDate: string;
  payer: string;
  reference: string;
}): string {
  const payer = entry.payer.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return `      <Ntry>
        <Amt Ccy="${entry.currency}">${entry.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${entry.valueDate}</Dt></BookgDt><ValDt><Dt>${entry.valueDate}</Dt></ValDt>
        <AcctSvcrRef>${entry.bankReference}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>${payer}</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>${entry.reference}</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;
}

/** The reference with its last two digits swapped (or a digit changed, when they are the same). */
function swapTwo(reference: string): string {
  const a = reference.at(-2)!;
  const b = reference.at(-1)!;
  if (a !== b) return `${reference.slice(0, -2)}${b}${a}`;
  return `${reference.slice(0, -1)}${(Number(b) + 1) % 10}`;
}

function partyName(key: string): string {
  return DEMO_PARTIES.find((party) => party.key === key)?.party.name ?? key;
}

/** Milliseconds each part of the seeding took, for the log. */
interface Stopwatch {
  laps: Record<string, number>;
  lap(name: string): void;
}

function stopwatch(): Stopwatch {
  let last = performance.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name) {
      const now = performance.now();
      laps[name] = Math.round(now - last);
      last = now;
    },
  };
}

function dateOf<T>(lease: DemoLease, value: T | undefined): T {
  if (value === undefined) throw new Error(`Demo lease ${lease.key} lacks a date its story needs`);
  return value;
}

/** Each item made (or found) side by side, by its key. */
async function keyed<T>(
  list: readonly T[],
  key: (item: T) => string,
  make: (item: T) => Promise<Row>,
): Promise<Map<string, Row>> {
  return new Map(await Promise.all(list.map(async (item) => [key(item), await make(item)] as const)));
}

function found(rows: ReadonlyMap<string, Row>, key: string): Row {
  const row = rows.get(key);
  if (!row) throw new Error(`The demo data names ${key}, which it does not define`);
  return row;
}
