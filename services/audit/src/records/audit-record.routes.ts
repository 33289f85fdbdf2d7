import {
  IdParams,
  kitErrors,
  ListQuery,
  PageOf,
  Type,
  type ServiceApp,
  type Static,
} from '@lessor/service-kit';
import type { AuditRecordRepository, AuditRecordRow } from './audit-record.repository.ts';

const AuditRecord = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  recordedAt: Type.String({ format: 'date-time' }),
  service: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  action: Type.String({
    description: 'created, updated, deleted, restored, or the verb of a security event',
  }),
  actor: Type.String({ description: 'A user id, client:<id>, or system' }),
  actorName: Type.Union([Type.String(), Type.Null()], {
    description:
      'The actor’s current full name (else username) when the actor is a user, as sso’s user events last ' +
      'named them; null for clients, system, and users audit has no event of. The id stays the key.',
  }),
  traceId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  changed: Type.Array(Type.String()),
  data: Type.Unknown(),
});
type AuditRecord = Static<typeof AuditRecord>;

const RecordQuery = Type.Object(
  {
    ...ListQuery.properties,
    entityType: Type.Optional(Type.String({ maxLength: 100 })),
    entityId: Type.Optional(Type.String({ maxLength: 200 })),
    actor: Type.Optional(Type.String({ maxLength: 200, description: 'The actor’s id, exactly' })),
    actorName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Part of the actor’s full name or username, any case (users only)',
      }),
    ),
    service: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
  },
  { additionalProperties: false },
);

function view(row: AuditRecordRow): AuditRecord {
  return { ...row, occurredAt: row.occurredAt.toISOString(), recordedAt: row.recordedAt.toISOString() };
}

/** Reading the audit trail; there is no route that changes it. */
export function registerAuditRecordRoutes(app: ServiceApp, records: AuditRecordRepository): void {
  app.get(
    '/v1/records',
    {
      config: { permission: 'audit:records:read' },
      schema: {
        tags: ['records'],
        summary: 'Search the audit trail, newest first',
        querystring: RecordQuery,
        response: { 200: PageOf(AuditRecord) },
      },
    },
    async (request) => {
      const page = await records.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/records/:id',
    {
      config: { permission: 'audit:records:read' },
      schema: {
        tags: ['records'],
        summary: 'One audit record',
        params: IdParams,
        response: { 200: AuditRecord },
      },
    },
    async (request) => {
      const row = await records.find(request.params.id);
      if (!row) throw kitErrors.create.NOT_FOUND(`No audit record ${request.params.id}`);
      return view(row);
    },
  );
}
