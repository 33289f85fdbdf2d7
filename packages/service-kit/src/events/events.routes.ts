import { Type } from 'typebox';
import { asyncApiFor } from '@lessor/event-catalog';
import { kitErrors } from '../errors/kit.errors.ts';
import type { ServiceApp } from '../http/app.ts';
import { IdParams, ListQuery, PageOf } from '../http/resource.ts';
import { actorOf } from '../http/security.ts';
import { EventsError, type ParkedEvent as ParkedRow } from '@lessor/events';
import type { ServiceEvents } from './service-events.ts';

const ParkedEvent = Type.Object(
  {
    id: Type.String(),
    eventId: Type.String(),
    type: Type.String(),
    reason: Type.String(),
    attempts: Type.Integer(),
    status: Type.String({ description: 'parked, replayed or discarded' }),
    parkedAt: Type.String({ format: 'date-time' }),
    resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    resolvedBy: Type.Union([Type.String(), Type.Null()]),
    envelope: Type.Unknown({ description: 'The CloudEvents envelope as it was received' }),
  },
  { additionalProperties: true },
);

const ParkedQuery = Type.Object(
  {
    ...ListQuery.properties,
    status: Type.Optional(
      Type.Union([Type.Literal('parked'), Type.Literal('replayed'), Type.Literal('discarded')]),
    ),
    type: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const OutboxStatus = Type.Object({ pending: Type.Integer(), oldestAgeSeconds: Type.Number() });

/**
 * The events package knows no HTTP: its expected errors become the kit's problems here (a garbage cursor
 * answered 500 before). Anything else is rethrown as it is.
 */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof EventsError)) throw error;
    const options = { cause: error };
    switch (error.code) {
      case 'INVALID_CURSOR':
        throw kitErrors.create.INVALID_CURSOR(error.message, options);
      case 'INVALID_EVENT':
        throw kitErrors.create.VALIDATION_FAILED(error.message, options);
      case 'NOT_FOUND':
        throw kitErrors.create.NOT_FOUND(error.message, options);
      default:
        throw kitErrors.create.CONFLICT(error.message, options);
    }
  }
}

const view = (row: ParkedRow) => ({
  ...row,
  eventId: row.eventId ?? '',
  parkedAt: row.parkedAt.toISOString(),
  resolvedAt: row.resolvedAt ? row.resolvedAt.toISOString() : null,
});

/**
 * The admin side of a service's events: its outbox backlog, its parked (dead-lettered) events with
 * inspect, replay and discard, and its AsyncAPI document. Permissions `<service>:events:read|write`.
 */
export function registerEventRoutes(app: ServiceApp, service: string, events: ServiceEvents): void {
  const read = `${service}:events:read`;
  const write = `${service}:events:write`;
  const tags = ['events'];

  app.get('/asyncapi.json', { schema: { hide: true } }, async () => asyncApiFor(service));

  app.get(
    '/v1/events/outbox',
    {
      config: { permission: read },
      schema: { tags, summary: 'Events written but not yet published', response: { 200: OutboxStatus } },
    },
    async () => events.relay.backlog(),
  );

  const consumer = events.consumer;
  if (!consumer) return;

  app.get(
    '/v1/events/parked',
    {
      config: { permission: read },
      schema: {
        tags,
        summary: 'Events this service could not handle',
        querystring: ParkedQuery,
        response: { 200: PageOf(ParkedEvent) },
      },
    },
    async (request) => {
      const page = await answering(() => consumer.parked.list(request.query));
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/events/parked/:id',
    {
      config: { permission: read },
      schema: { tags, summary: 'One parked event', params: IdParams, response: { 200: ParkedEvent } },
    },
    async (request) => {
      const row = await consumer.parked.get(request.params.id);
      if (!row) throw kitErrors.create.NOT_FOUND(`No parked event ${request.params.id}`);
      return view(row);
    },
  );

  app.post(
    '/v1/events/parked/:id/replay',
    {
      config: { permission: write },
      schema: {
        tags,
        summary: 'Handle a parked event again (once: an event already applied is a duplicate)',
        params: IdParams,
        response: {
          200: Type.Object({ outcome: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]) }),
        },
      },
    },
    async (request) => {
      const existing = await consumer.parked.get(request.params.id);
      if (!existing) throw kitErrors.create.NOT_FOUND(`No parked event ${request.params.id}`);
      if (existing.status !== 'parked')
        throw kitErrors.create.CONFLICT(`The event is ${existing.status}, not parked`);
      try {
        return { outcome: await consumer.parked.replay(request.params.id, actorOf(request)) };
      } catch (error) {
        request.log.warn({ err: error, parkedId: request.params.id }, 'replay failed');
        throw kitErrors.create.CONFLICT('The handler failed again; the parked event records why', {
          cause: error,
        });
      }
    },
  );

  app.post(
    '/v1/events/parked/:id/discard',
    {
      config: { permission: write },
      schema: {
        tags,
        summary: 'Give up on a parked event (kept, marked discarded)',
        params: IdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const existing = await consumer.parked.get(request.params.id);
      if (!existing) throw kitErrors.create.NOT_FOUND(`No parked event ${request.params.id}`);
      await answering(() => consumer.parked.discard(request.params.id, actorOf(request)));
      return reply.code(204).send(null);
    },
  );
}
