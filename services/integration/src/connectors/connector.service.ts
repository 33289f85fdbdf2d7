import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  isPostgresError,
  kitErrors,
  type ChangeAction,
  type EventTransaction,
  type ServiceEvents,
} from '@lessor/service-kit';
import {
  createODataClient,
  ODataError,
  type ODataAuth,
  type ODataClient,
  type ODataMetrics,
} from '../odata/index.ts';
import type { ConnectorCredentials, CredentialCipher } from '../crypto/credentials.ts';
import type {
  ConnectorAuthSettings,
  ConnectorKind,
  ConnectorProtocol,
  IntegrationDatabase,
} from '../database.ts';
import { integrationErrors } from '../integration.errors.ts';
import { nextFire, scheduleProblem } from '../runs/schedule.ts';
import { ConnectorRepository, type ConnectorRow } from './connector.repository.ts';
import type {
  AuthInput,
  ConnectionTest,
  ConnectorListQuery,
  CreateConnector,
  MappingInput,
  UpdateConnector,
} from './connector.schemas.ts';
import { readMapping, resolveMapping, type ConnectorMapping } from './mapping.ts';

/** What a job or a sender needs of a connector: never its credentials (`client` holds them). */
export interface ConnectorRuntime {
  id: string;
  name: string;
  kind: ConnectorKind;
  protocol: ConnectorProtocol;
  mapping: ConnectorMapping;
  watermark: string | null;
  enabled: boolean;
}

/** Settings to try before they are saved (the admin's "test connection" on the form). */
export interface ConnectionSettings {
  protocol: ConnectorProtocol;
  baseUrl: string;
  auth: AuthInput;
}

export interface ConnectorServiceOptions {
  cipher: CredentialCipher;
  metrics: ODataMetrics;
  log: Logger;
  /** The deadline of one call to the outside, retries included. */
  deadlineMs: number;
  pageSize: number;
  clock?: () => Date;
}

const UNIQUE_VIOLATION = '23505';
const VERSION: Record<ConnectorProtocol, 'v2' | 'v4'> = { 'odata-v2': 'v2', 'odata-v4': 'v4' };

/**
 * Connectors: the outside systems integration talks to. Their credentials are sealed on the way in
 * (src/crypto) and opened only to build a client; the API shows `credentialsSet` instead. Each change publishes
 * a change event without the credentials. `client(id)` gives the OData client of a connector, kept per version
 * so a change of URL or credentials is taken up at the next call.
 */
export class ConnectorService {
  readonly #clients = new Map<string, { version: number; client: ODataClient }>();
  readonly #clock: () => Date;

  constructor(
    private readonly db: Kysely<IntegrationDatabase>,
    private readonly events: ServiceEvents,
    private readonly options: ConnectorServiceOptions,
  ) {
    this.#clock = options.clock ?? (() => new Date());
  }

  list(query: ConnectorListQuery) {
    return new ConnectorRepository(this.db).search(query);
  }

  /** Live connectors (of a kind; enabled ones only when asked), as jobs and senders see them. */
  async live(options: { kind?: ConnectorKind; enabledOnly?: boolean } = {}): Promise<ConnectorRuntime[]> {
    return (await new ConnectorRepository(this.db).live(options)).map(runtimeOf);
  }

  async get(id: string, includeDeleted = false): Promise<ConnectorRow> {
    return this.#find(new ConnectorRepository(this.db), id, includeDeleted);
  }

  async runtime(id: string): Promise<ConnectorRuntime> {
    return runtimeOf(await this.get(id));
  }

  async create(input: CreateConnector, actor: string): Promise<ConnectorRow> {
    const schedule = input.schedule ?? null;
    refuseBadSchedule(schedule);
    const mapping = mappingFor(input.kind, input.mapping);
    const secret = secretOf(input.auth, undefined);
    if (secret.missing) refuseMissingSecret(secret.missing);
    this.#refuseWithoutKey(secret.credentials);
    return this.#named(() =>
      this.db.transaction().execute(async (trx) => {
        const connectors = new ConnectorRepository(trx);
        const inserted = await connectors.insert(
          {
            name: input.name.trim(),
            kind: input.kind,
            protocol: input.protocol,
            baseUrl: input.baseUrl,
            auth: settingsOf(input.auth),
            credentialsKeyId: null,
            credentialsSealed: null,
            mapping,
            schedule,
            enabled: input.enabled ?? true,
            watermark: null,
            nextRunAt: nextFire(schedule, this.#clock()),
            lastRunId: null,
            lastRunStatus: null,
            lastRunFinishedAt: null,
          },
          actor,
        );
        const connector = secret.credentials
          ? await this.#seal(connectors, inserted.id, secret.credentials)
          : inserted;
        await this.#changed(trx, 'created', null, connector, actor);
        return connector;
      }),
    );
  }

  async update(id: string, version: number, changes: UpdateConnector, actor: string): Promise<ConnectorRow> {
    if (changes.schedule !== undefined) refuseBadSchedule(changes.schedule);
    return this.#named(() =>
      this.db.transaction().execute(async (trx) => {
        const connectors = new ConnectorRepository(trx);
        const before = await this.#find(connectors, id);
        const secret = changes.auth ? secretOf(changes.auth, before.auth) : { credentials: undefined };
        if (secret.missing) refuseMissingSecret(secret.missing);
        this.#refuseWithoutKey(secret.credentials);
        const schedule = changes.schedule === undefined ? before.schedule : changes.schedule;
        let after = await connectors.update(
          id,
          version,
          {
            ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
            ...(changes.protocol === undefined ? {} : { protocol: changes.protocol }),
            ...(changes.baseUrl === undefined ? {} : { baseUrl: changes.baseUrl }),
            ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
            ...(changes.watermark === undefined ? {} : { watermark: changes.watermark }),
            ...(changes.mapping === undefined ? {} : { mapping: mappingFor(before.kind, changes.mapping) }),
            ...(changes.auth === undefined ? {} : { auth: settingsOf(changes.auth) }),
            ...(changes.auth?.kind === 'none' ? { credentialsKeyId: null, credentialsSealed: null } : {}),
            schedule,
            nextRunAt: nextFire(schedule, this.#clock()),
          },
          actor,
        );
        if (secret.credentials) after = await this.#seal(connectors, id, secret.credentials);
        await this.#changed(trx, 'updated', before, after, actor);
        return after;
      }),
    );
  }

  async delete(id: string, version: number, actor: string): Promise<ConnectorRow> {
    return this.db.transaction().execute(async (trx) => {
      const connectors = new ConnectorRepository(trx);
      const before = await this.#find(connectors, id);
      const after = await connectors.softDelete(id, version, actor);
      await this.#changed(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<ConnectorRow> {
    return this.#named(() =>
      this.db.transaction().execute(async (trx) => {
        const connectors = new ConnectorRepository(trx);
        const before = await this.#find(connectors, id, true);
        const after = await connectors.restore(id, actor);
        await this.#changed(trx, 'restored', before, after, actor);
        return after;
      }),
    );
  }

  /** The OData client of a live connector, its credentials opened; the same client until the connector changes. */
  async client(id: string): Promise<ODataClient> {
    const connector = await this.get(id);
    const cached = this.#clients.get(id);
    if (cached?.version === connector.version) return cached.client;
    cached?.client.close();
    const client = this.#clientOf(
      connector.name,
      connector.protocol,
      connector.baseUrl,
      this.#authOf(connector),
    );
    this.#clients.set(id, { version: connector.version, client });
    return client;
  }

  /** The connection test of a saved connector, with changes not saved yet (their secret, or the stored one). */
  async test(id: string, changes: Partial<ConnectionSettings> = {}): Promise<ConnectionTest> {
    const connector = await this.get(id);
    if (!changes.protocol && !changes.baseUrl && !changes.auth) return this.#ping(await this.client(id));
    const auth = changes.auth ? this.#authWithStored(changes.auth, connector) : this.#authOf(connector);
    const client = this.#clientOf(
      connector.name,
      changes.protocol ?? connector.protocol,
      changes.baseUrl ?? connector.baseUrl,
      auth,
    );
    try {
      return await this.#ping(client);
    } finally {
      client.close();
    }
  }

  /** The connection test of settings not saved at all (a connector being created). */
  async testSettings(settings: ConnectionSettings): Promise<ConnectionTest> {
    const secret = secretOf(settings.auth, undefined);
    if (secret.missing) refuseMissingSecret(secret.missing);
    const client = this.#clientOf(
      '(unsaved)',
      settings.protocol,
      settings.baseUrl,
      odataAuth(settings.auth, {}),
    );
    try {
      return await this.#ping(client);
    } finally {
      client.close();
    }
  }

  /**
   * Seals every connector's credentials again with the current key (after a new key was put first among
   * `INTEGRATION_CREDENTIALS_KEYS`); the number of connectors moved. The old key can go once this is 0.
   */
  async resealCredentials(): Promise<number> {
    const current = this.options.cipher.currentKeyId;
    if (!current) return 0;
    const stale = await this.db
      .selectFrom('connectors')
      .select(['id', 'credentialsKeyId', 'credentialsSealed'])
      .where('credentialsKeyId', 'is not', null)
      .where('credentialsKeyId', '<>', current)
      .execute();
    let moved = 0;
    for (const row of stale) {
      const sealed = this.options.cipher.reseal(
        { keyId: row.credentialsKeyId!, sealed: row.credentialsSealed! },
        row.id,
      );
      // Only if nobody wrote new credentials meanwhile (they are sealed with the current key already).
      const result = await this.db
        .updateTable('connectors')
        .set({ credentialsKeyId: sealed.keyId, credentialsSealed: sealed.sealed })
        .where('id', '=', row.id)
        .where('credentialsKeyId', '=', row.credentialsKeyId)
        .executeTakeFirst();
      moved += Number(result.numUpdatedRows);
    }
    if (moved > 0) this.options.log.info({ moved, keyId: current }, 'connector credentials sealed again');
    return moved;
  }

  /** Closes the clients (their token caches and sockets). */
  close(): void {
    for (const { client } of this.#clients.values()) client.close();
    this.#clients.clear();
  }

  async #ping(client: ODataClient): Promise<ConnectionTest> {
    const started = performance.now();
    try {
      const { status, durationMs } = await client.ping();
      return {
        ok: true,
        status,
        message: 'connected: $metadata answered',
        durationMs: Math.round(durationMs),
      };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      if (error instanceof ODataError)
        return { ok: false, status: error.status, message: error.message, durationMs };
      throw error;
    }
  }

  #clientOf(name: string, protocol: ConnectorProtocol, baseUrl: string, auth: ODataAuth): ODataClient {
    return createODataClient({
      version: VERSION[protocol],
      serviceRoot: baseUrl,
      auth,
      connector: name,
      deadlineMs: this.options.deadlineMs,
      pageSize: this.options.pageSize,
      metrics: this.options.metrics,
      log: this.options.log.child({ connector: name }),
    });
  }

  #authOf(connector: ConnectorRow): ODataAuth {
    return odataAuth(connector.auth, this.#credentialsOf(connector));
  }

  /** Auth being tried: its own secret, else the stored one when the kind is the same. */
  #authWithStored(auth: AuthInput, connector: ConnectorRow): ODataAuth {
    const secret = secretOf(auth, connector.auth);
    if (secret.missing) refuseMissingSecret(secret.missing);
    return odataAuth(auth, secret.credentials ?? this.#credentialsOf(connector));
  }

  #credentialsOf(connector: ConnectorRow): ConnectorCredentials {
    if (!connector.credentialsKeyId || !connector.credentialsSealed) return {};
    try {
      return this.options.cipher.open(
        { keyId: connector.credentialsKeyId, sealed: connector.credentialsSealed },
        connector.id,
      );
    } catch (error) {
      throw integrationErrors.create.INTEGRATION_CREDENTIALS_UNREADABLE(
        `Connector ${connector.name}: ${(error as Error).message}`,
      );
    }
  }

  async #seal(connectors: ConnectorRepository, id: string, credentials: ConnectorCredentials) {
    const sealed = this.options.cipher.seal(credentials, id);
    const row = await connectors.setState(id, {
      credentialsKeyId: sealed.keyId,
      credentialsSealed: sealed.sealed,
    });
    return row!;
  }

  #refuseWithoutKey(credentials: ConnectorCredentials | undefined): void {
    if (credentials && !this.options.cipher.currentKeyId)
      throw integrationErrors.create.INTEGRATION_CREDENTIALS_KEY_MISSING(
        'Credentials cannot be stored: no credentials key is configured',
      );
  }

  #changed(
    trx: EventTransaction,
    action: ChangeAction,
    before: ConnectorRow | null,
    after: ConnectorRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'connector',
      action,
      entityId: after.id,
      before: before && connectorSnapshot(before),
      after: connectorSnapshot(after),
      actor,
    });
  }

  /** A unique name among live connectors: a second one is refused with the name, not a 500. */
  async #named<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isPostgresError(error, UNIQUE_VIOLATION))
        throw integrationErrors.create.INTEGRATION_CONNECTOR_NAME_TAKEN(
          'A live connector has this name already',
        );
      throw error;
    }
  }

  async #find(connectors: ConnectorRepository, id: string, includeDeleted = false): Promise<ConnectorRow> {
    const connector = await connectors.find(id, { includeDeleted });
    if (!connector) throw kitErrors.create.NOT_FOUND(`No connector ${id}`);
    return connector;
  }
}

/** What the change events carry: never the credentials, nor the mapping's details. */
export function connectorSnapshot(connector: ConnectorRow) {
  return {
    id: connector.id,
    name: connector.name,
    kind: connector.kind,
    protocol: connector.protocol,
    baseUrl: connector.baseUrl,
    authKind: connector.auth.kind,
    schedule: connector.schedule,
    enabled: connector.enabled,
  };
}

function runtimeOf(connector: ConnectorRow): ConnectorRuntime {
  return {
    id: connector.id,
    name: connector.name,
    kind: connector.kind,
    protocol: connector.protocol,
    mapping: readMapping(connector.mapping),
    watermark: connector.watermark,
    enabled: connector.enabled,
  };
}

/** The non-secret part of auth, as stored and shown. */
function settingsOf(auth: AuthInput): ConnectorAuthSettings {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return { kind: 'basic', username: auth.username };
    case 'oauth2':
      return {
        kind: 'oauth2',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
      };
  }
}

/**
 * The secret written with auth, or which field is missing: a new kind needs its secret; the same kind keeps the
 * stored one when the secret is left out.
 */
function secretOf(
  auth: AuthInput,
  stored: ConnectorAuthSettings | undefined,
): { credentials: ConnectorCredentials | undefined; missing?: string } {
  const keeps = stored?.kind === auth.kind;
  if (auth.kind === 'basic') {
    if (auth.password !== undefined) return { credentials: { password: auth.password } };
    return keeps ? { credentials: undefined } : { credentials: undefined, missing: '/body/auth/password' };
  }
  if (auth.kind === 'oauth2') {
    if (auth.clientSecret !== undefined) return { credentials: { clientSecret: auth.clientSecret } };
    return keeps
      ? { credentials: undefined }
      : { credentials: undefined, missing: '/body/auth/clientSecret' };
  }
  return { credentials: undefined };
}

function odataAuth(auth: ConnectorAuthSettings | AuthInput, credentials: ConnectorCredentials): ODataAuth {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return {
        kind: 'basic',
        username: auth.username,
        password: ('password' in auth ? auth.password : undefined) ?? credentials.password ?? '',
      };
    case 'oauth2':
      return {
        kind: 'oauth2',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret:
          ('clientSecret' in auth ? auth.clientSecret : undefined) ?? credentials.clientSecret ?? '',
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
      };
  }
}

/** The stored mapping of a connector of this kind: a CRM reads records in, an accounting system takes entries. */
function mappingFor(kind: ConnectorKind, input: MappingInput): ConnectorMapping {
  const mapping = resolveMapping(input);
  if (kind === 'crm' && !mapping.inbound)
    refuse('/body/mapping/inbound', 'a CRM connector needs an inbound mapping (or a CRM preset)');
  if (kind === 'accounting' && !mapping.export)
    refuse(
      '/body/mapping/export',
      'an accounting connector needs an export mapping (or the accounting preset)',
    );
  return mapping;
}

function refuseBadSchedule(schedule: string | null): void {
  if (schedule === null) return;
  const problem = scheduleProblem(schedule);
  if (problem) refuse('/body/schedule', `is not a cron expression: ${problem}`);
}

function refuseMissingSecret(field: string): never {
  refuse(field, 'is required when the auth kind is new');
}

function refuse(field: string, message: string): never {
  throw kitErrors.create.VALIDATION_FAILED('1 field(s) failed validation', {
    errors: [{ field, message }],
  });
}
