import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createTokenVerifier } from '@lessor/auth';
import { createInProcessTransport } from '@lessor/events';
import type { TestIssuer } from '@lessor/auth/testing';
import {
  actorOf,
  applyDeletedFilter,
  baseConfigSchema,
  createServiceApp,
  etag,
  kitErrors,
  loadConfig,
  newId,
  paginate,
  parseIfMatch,
  protectBusinessTable,
  restore,
  softDelete,
  Type,
  updateVersioned,
  withBusinessColumns,
  type BusinessColumns,
  type Database,
  type Migration,
} from '../src/index.ts';

/** A tiny service built with the kit the way every real service is, for the kit's own tests. */
interface WidgetsTable extends BusinessColumns {
  name: string;
  price: string;
}
interface WidgetDatabase {
  widgets: WidgetsTable;
}

export const widgetMigrations: Migration[] = [
  {
    name: '0001_widgets',
    async up(db) {
      await withBusinessColumns(db.schema.createTable('widgets'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('price', sql`numeric(18,2)`, (c) => c.notNull())
        .execute();
      await protectBusinessTable(db, 'widgets');
    },
  },
];

const Widget = Type.Object({
  id: Type.String(),
  name: Type.String(),
  price: Type.String(),
  version: Type.Integer(),
  deletedAt: Type.Union([Type.String(), Type.Null()]),
});
const CreateWidget = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    price: Type.String({ pattern: '^\\d{1,16}\\.\\d{2}$' }),
  },
  { additionalProperties: false },
);

function view(row: { id: string; name: string; price: string; version: number; deletedAt: Date | null }) {
  return {
    id: row.id,
    name: row.name,
    price: row.price,
    version: row.version,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export interface WidgetHooks {
  /** Resolved by the test to let a slow request finish (idempotency in-flight case). */
  slowGate?: Promise<void>;
  /** Gives the service a consumer (on the in-process bus), so its parked-events routes exist. */
  events?: boolean;
  /** Called each time the verifier reads the signing keys (what a JWKS fetch is for other services). */
  keysRead?: () => void;
}

export async function buildWidgetService(
  database: Database<unknown>,
  issuer: TestIssuer,
  logger: Logger,
  hooks: WidgetHooks = {},
) {
  const config = loadConfig(baseConfigSchema, { PORT: '0', LOG_LEVEL: 'silent' });
  const app = await createServiceApp({
    name: 'widgets',
    title: 'Widgets',
    description: 'The kit’s test service',
    version: '1.0.0',
    config,
    database,
    migrations: widgetMigrations,
    verifier: createTokenVerifier({
      keySet: () => {
        hooks.keysRead?.();
        return issuer.jwks();
      },
      issuer: issuer.issuer,
      audience: issuer.audience,
    }),
    logger,
    ...(hooks.events
      ? {
          events: {
            transport: createInProcessTransport({ db: database.db }),
            subscriptions: [{ types: ['lessor.parties.party.created.v1'], handler: async () => {} }],
          },
        }
      : {}),
  });
  const db = database.db as Kysely<WidgetDatabase>;

  app.get(
    '/v1/widgets',
    {
      config: { permission: 'widgets:widgets:read' },
      schema: {
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
            cursor: Type.Optional(Type.String()),
            name: Type.Optional(Type.String({ maxLength: 50 })),
            deleted: Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
              default: 'exclude',
            }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      let query = applyDeletedFilter(db.selectFrom('widgets').selectAll(), request.query.deleted);
      if (request.query.name !== undefined) query = query.where('name', '=', request.query.name);
      const page = await paginate(query, {
        limit: request.query.limit,
        cursor: request.query.cursor,
        sort: { column: 'name', direction: 'asc' },
      });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/widgets',
    {
      config: { permission: 'widgets:widgets:write', idempotent: true },
      schema: { body: CreateWidget, response: { 201: Widget } },
    },
    async (request, reply) => {
      if (request.body.name === 'slow' && hooks.slowGate) await hooks.slowGate;
      const actor = actorOf(request);
      const row = await db
        .insertInto('widgets')
        .values({
          id: newId(),
          ...request.body,
          createdBy: actor,
          updatedBy: actor,
          deletedAt: null,
          deletedBy: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.code(201).header('etag', etag(row.version)).send(view(row));
    },
  );

  app.get(
    '/v1/widgets/by-name/:name',
    {
      config: { permission: 'widgets:widgets:read' },
      schema: {
        params: Type.Object({ name: Type.String({ maxLength: 50 }) }),
        headers: Type.Object({ 'x-widget-label': Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const label = request.headers['x-widget-label'];
      const rows = await db
        .selectFrom('widgets')
        .selectAll()
        .where('name', '=', label === undefined ? request.params.name : `${request.params.name}${label}`)
        .execute();
      return { items: rows.map(view) };
    },
  );

  app.patch(
    '/v1/widgets/:id',
    {
      config: { permission: 'widgets:widgets:write' },
      schema: {
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Partial(CreateWidget),
      },
    },
    async (request, reply) => {
      const version = parseIfMatch(request.headers['if-match']);
      if (version === undefined) throw kitErrors.create.PRECONDITION_REQUIRED();
      const row = await updateVersioned(
        db,
        'widgets',
        request.params.id,
        version,
        request.body,
        actorOf(request),
      );
      return reply.header('etag', etag(row.version as number)).send(view(row as never));
    },
  );

  app.delete(
    '/v1/widgets/:id',
    {
      config: { permission: 'widgets:widgets:write' },
      schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request) => {
      const version = parseIfMatch(request.headers['if-match']);
      if (version === undefined) throw kitErrors.create.PRECONDITION_REQUIRED();
      return view(
        (await softDelete(db, 'widgets', request.params.id, {
          actor: actorOf(request),
          expectedVersion: version,
        })) as never,
      );
    },
  );

  app.post(
    '/v1/widgets/:id/restore',
    {
      config: { permission: 'widgets:widgets:write' },
      schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request) =>
      view((await restore(db, 'widgets', request.params.id, { actor: actorOf(request) })) as never),
  );

  app.get('/v1/boom', { config: { permission: 'widgets:widgets:read' } }, async () => {
    throw new Error('database password is hunter2 at /srv/secret.ts:42');
  });

  app.delete(
    '/v1/widgets/:id/physically',
    { config: { permission: 'widgets:widgets:write' } },
    async (request) => {
      await sql`delete from widgets where id = ${(request.params as { id: string }).id}`.execute(db);
      return { deleted: true };
    },
  );

  return app;
}
