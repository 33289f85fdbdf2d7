import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partiesEvents, ssoEvents } from '@lessor/event-catalog';
import { createInProcessTransport } from '@lessor/events';
import { UpstreamUnavailableError } from '@lessor/http-client';
import {
  buildService,
  defineService,
  serviceConfigSchema,
  ServiceDefinitionError,
  tablesOf,
  Type,
  callerConfigProperties,
  type Migration,
} from '../src/index.ts';
import {
  createTestDatabase,
  serviceMigrations,
  startTestServices,
  testBackends,
  testSetups,
  type TestServices,
} from '../src/testing/index.ts';

// Two small services defined the way real ones are: `watcher` consumes parties' KYC decisions and keeps the last
// one per party; `asker` calls watcher with its own service-client token.

interface WatcherDatabase {
  decisions: { party_id: string; status: string; reason: string };
}

const watcherMigrations: Migration[] = [
  {
    name: '0001_decisions',
    async up(db) {
      await sql`create table decisions (party_id uuid primary key, status text not null, reason text not null)`.execute(
        db,
      );
    },
  },
];

const watcherService = defineService({
  name: 'watcher',
  port: 18_201,
  title: 'Watcher',
  description: 'Keeps the last KYC decision of each party.',
  version: '0.0.1',
  config: serviceConfigSchema({}),
  tables: tablesOf<WatcherDatabase>(),
  migrations: watcherMigrations,
  consumes: { purpose: 'Keeps the last KYC decision.', events: [partiesEvents.partyKycChanged] },
  build: async ({ app, db }) => {
    app.get(
      '/v1/decisions/:partyId',
      {
        config: { permission: 'watcher:decisions:read' },
        schema: { params: Type.Object({ partyId: Type.String({ format: 'uuid' }) }) },
      },
      async (request, reply) => {
        const row = await db
          .selectFrom('decisions')
          .selectAll()
          .where('party_id', '=', request.params.partyId)
          .executeTakeFirst();
        return row ? { status: row.status, reason: row.reason } : reply.code(404).send();
      },
    );
    return {
      handlers: {
        [partiesEvents.partyKycChanged.type]: async (event, { trx }) => {
          // Typed by the catalogue: `to` is the KYC status, `reason` a string.
          await (trx as Kysely<WatcherDatabase>)
            .insertInto('decisions')
            .values({ party_id: event.data.partyId, status: event.data.to, reason: event.data.reason })
            .onConflict((conflict) =>
              conflict.column('party_id').doUpdateSet({ status: event.data.to, reason: event.data.reason }),
            )
            .execute();
        },
      },
    };
  },
});

const askerService = defineService({
  name: 'asker',
  port: 18_202,
  title: 'Asker',
  description: 'Asks watcher.',
  version: '0.0.1',
  config: serviceConfigSchema(callerConfigProperties('asker', { watcher: 18_201 })),
  tables: tablesOf<object>(),
  migrations: [],
  calls: ['watcher'],
  clientScopes: ['watcher:decisions:read'],
  build: async ({ app, clients }) => {
    app.get(
      '/v1/ask/:partyId',
      {
        config: { permission: 'asker:questions:read' },
        schema: { params: Type.Object({ partyId: Type.String({ format: 'uuid' }) }) },
      },
      async (request) => {
        try {
          return await clients.watcher.get(`/v1/decisions/${request.params.partyId}`);
        } catch (error) {
          // Said in a 200 here, to read the client's own verdict (a 5xx answer would be a problem+json).
          if (error instanceof UpstreamUnavailableError) return { unavailable: error.reason };
          throw error;
        }
      },
    );
  },
});

const kycChanged = (partyId: string, to: 'verified' | 'rejected', reason: string) => ({
  partyId,
  from: 'pending' as const,
  to,
  reason,
  party: {
    id: partyId,
    kind: 'company' as const,
    name: 'Acme GmbH',
    country: 'DE',
    taxId: null,
    kycStatus: to,
    legalForm: 'GmbH',
    registrationNumber: null,
  },
});

describe('defineService', () => {
  const base = {
    port: 18_300,
    title: 'T',
    description: 'D',
    version: '0.0.1',
    config: serviceConfigSchema({}),
    tables: tablesOf<object>(),
    migrations: [],
    build: async () => {},
  };

  it('should refuse a name that is not a service name', () => {
    expect(() => defineService({ ...base, name: 'Bad Name' })).toThrow(ServiceDefinitionError);
    // Its schema's name: a dash would need quoting in every statement.
    expect(() => defineService({ ...base, name: 'fixed-assets' })).toThrow(/one lower-case word/);
  });

  it('should refuse a port outside TCP ports', () => {
    expect(() => defineService({ ...base, name: 'ok', port: 70_000 })).toThrow(/not a TCP port/);
  });

  it('should refuse to publish another service’s event', () => {
    expect(() => defineService({ ...base, name: 'ok', publishes: [ssoEvents.userCreated] })).toThrow(
      /cannot publish lessor\.sso\.user\.created\.v1: sso does/,
    );
  });

  it('should refuse to consume its own event', () => {
    expect(() =>
      defineService({
        ...base,
        name: 'parties',
        consumes: { purpose: 'p', events: [partiesEvents.partyCreated] },
        build: async () => ({ handlers: { [partiesEvents.partyCreated.type]: async () => {} } }),
      }),
    ).toThrow(/consumes its own event/);
  });

  it('should keep the egress of a service that talks to the outside world, and want its purpose (ADR 26)', () => {
    const door = defineService({ ...base, name: 'door', egress: { purpose: 'A CRM over OData.' } });

    expect(door.egress).toEqual({ purpose: 'A CRM over OData.' });
    expect(Object.isFrozen(door.egress)).toBe(true);
    expect(defineService({ ...base, name: 'inside' }).egress).toBeUndefined();
    expect(() => defineService({ ...base, name: 'door', egress: { purpose: ' ' } })).toThrow(
      /has egress without a purpose/,
    );
  });

  it('should refuse events to a service defined without them', () => {
    expect(() =>
      defineService({
        ...base,
        name: 'parties',
        withoutEvents: true,
        publishes: [partiesEvents.partyCreated],
      }),
    ).toThrow(ServiceDefinitionError);
    expect(() =>
      defineService({
        ...base,
        name: 'quiet',
        withoutEvents: true,
        consumes: { purpose: 'p', events: [partiesEvents.partyCreated] },
        build: async () => ({ handlers: { [partiesEvents.partyCreated.type]: async () => {} } }),
      }),
    ).toThrow(ServiceDefinitionError);
  });

  it('should make a missing handler a type error', () => {
    // Never called: the type checker (npm run typecheck) is the test. A handler map without the consumed type,
    // and a handler reading a field the event lacks, do not compile.
    const _unused = () => [
      defineService({
        ...base,
        name: 'typed',
        consumes: { purpose: 'p', events: [partiesEvents.partyKycChanged] },
        // @ts-expect-error -- the handler of lessor.parties.party.kyc-changed.v1 is missing
        build: async () => ({ handlers: {} }),
      }),
      defineService({
        ...base,
        name: 'typed',
        consumes: { purpose: 'p', events: [partiesEvents.partyKycChanged] },
        build: async () => ({
          handlers: {
            [partiesEvents.partyKycChanged.type]: async (event) => {
              // @ts-expect-error -- kyc-changed carries no `amount`
              void event.data.amount;
            },
          },
        }),
      }),
    ];
    expect(typeof _unused).toBe('function');
  });
});

describe.each(testBackends())('buildService on %s', (backend) => {
  it('should refuse to start a service that consumes a type it gave no handler for', async () => {
    const database = await createTestDatabase<unknown>(backend, {
      schema: 'watcher',
      migrations: serviceMigrations(watcherMigrations),
    });
    const transport = createInProcessTransport({ db: database.db });
    try {
      const handless = { ...watcherService, build: async () => ({ handlers: {} }) } as typeof watcherService;
      await expect(
        buildService(handless, { env: { LOG_LEVEL: 'silent' }, database, transport }),
      ).rejects.toThrow(/consumes lessor\.parties\.party\.kyc-changed\.v1 but build gave no handler/);
    } finally {
      await transport.close();
      await database.dispose();
    }
  });
});

describe.each(testSetups())('services from their definitions ($broker)', (setup) => {
  let system: TestServices;
  beforeAll(async () => {
    system = await startTestServices({
      setup,
      services: [{ definition: watcherService, listen: true }, askerService],
      publishers: ['parties'],
    });
  });
  afterAll(() => system.close());

  it('should hand a consumed event to its typed handler, once, in the inbox transaction', async () => {
    const partyId = '0193a1b2-0000-7000-8000-00000000c001';
    const envelope = await system.publish(
      partiesEvents.partyKycChanged,
      kycChanged(partyId, 'verified', 'documents checked'),
    );
    expect(envelope.subject).toBe(partyId);
    await system.service('watcher').handled(envelope);
    const reader = await system.token(['watcher:decisions:read']);
    const answer = await system.service('watcher').call('GET', `/v1/decisions/${partyId}`, reader);
    expect(answer).toMatchObject({ status: 200, body: { status: 'verified', reason: 'documents checked' } });
  });

  it('should wire a caller to its neighbour with a token of its client scopes', async () => {
    const partyId = '0193a1b2-0000-7000-8000-00000000c002';
    await system
      .service('watcher')
      .handled(
        await system.publish(partiesEvents.partyKycChanged, kycChanged(partyId, 'rejected', 'sanctions')),
      );
    // The caller's user may not read watcher: the answer comes through asker's own token.
    const user = await system.token(['asker:questions:read']);
    expect(await system.service('watcher').call('GET', `/v1/decisions/${partyId}`, user)).toMatchObject({
      status: 403,
    });
    const answer = await system.service('asker').call('GET', `/v1/ask/${partyId}`, user);
    expect(answer).toMatchObject({ status: 200, body: { status: 'rejected', reason: 'sanctions' } });
  });

  it('should leave a called service that was not started a closed port: the caller meets it down', async () => {
    const alone = await startTestServices({ setup, services: [askerService] });
    try {
      const user = await alone.token(['asker:questions:read']);
      const answer = await alone
        .service('asker')
        .call('GET', '/v1/ask/0193a1b2-0000-7000-8000-00000000c003', user);
      expect(answer).toMatchObject({ status: 200, body: { unavailable: 'unreachable' } });
    } finally {
      await alone.close();
    }
  });
});
