import {
  actorOf,
  IdParams,
  ListQuery,
  PageOf,
  Type,
  Uuid,
  type ServiceApp,
  type TSchema,
} from '@lessor/service-kit';
import { percentOf, type RunRecord, type SyncRun } from './run.ts';
import type { RunService } from './run.service.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const Mode = Type.Union([Type.Literal('incremental'), Type.Literal('full')]);
const Status = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);
const Outcome = Type.Union([
  Type.Literal('created'),
  Type.Literal('updated'),
  Type.Literal('unchanged'),
  Type.Literal('conflict'),
  Type.Literal('duplicate'),
  Type.Literal('error'),
]);
const Timestamp = Nullable(Type.String({ format: 'date-time' }));

export const Run = Type.Object({
  id: Uuid,
  connectorId: Uuid,
  mode: Mode,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('schedule')]),
  status: Status,
  startedBy: Type.String(),
  queuedAt: Type.String({ format: 'date-time' }),
  startedAt: Timestamp,
  heartbeatAt: Timestamp,
  finishedAt: Timestamp,
  attempts: Type.Integer({
    minimum: 0,
    description: 'Times a replica took it up (more than 1: it resumed).',
  }),
  watermarkFrom: Nullable(Type.String()),
  watermarkTo: Nullable(Type.String()),
  total: Nullable(Type.Integer({ minimum: 0, description: 'What the outside system counted ($count).' })),
  percent: Nullable(
    Type.Integer({ minimum: 0, maximum: 100, description: 'Null while the total is unknown.' }),
  ),
  pages: Count,
  read: Count,
  created: Count,
  updated: Count,
  unchanged: Count,
  conflicts: Count,
  duplicates: Count,
  errors: Count,
  error: Nullable(Type.String({ description: 'Why a failed run failed.' })),
});
const RunRecordView = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  remoteId: Type.String({ description: 'The record’s key in the outside system.' }),
  outcome: Outcome,
  partyId: Nullable(Uuid),
  reason: Nullable(Type.String()),
  recordedAt: Type.String({ format: 'date-time' }),
});

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function runView(run: SyncRun) {
  const { owner: _owner, cursor: _cursor, ...shown } = run;
  return {
    ...shown,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: iso(run.startedAt),
    heartbeatAt: iso(run.heartbeatAt),
    finishedAt: iso(run.finishedAt),
    percent: percentOf(run),
  };
}

const recordView = (record: RunRecord) => ({
  seq: record.seq,
  remoteId: record.remoteId,
  outcome: record.outcome,
  partyId: record.partyId,
  reason: record.reason,
  recordedAt: record.recordedAt.toISOString(),
});

/** Runs: "run now" (`integration:runs:write`), their progress and reports (`integration:runs:read`). */
export function registerRunRoutes(app: ServiceApp, runs: RunService): void {
  app.post(
    '/v1/connectors/:id/runs',
    {
      // A client retrying with its Idempotency-Key gets the run it started, not a 409 from its own run.
      config: { permission: 'integration:runs:write', idempotent: true },
      schema: {
        tags: ['runs'],
        summary: 'Run a connector now (202, the queued run; 409 while one is queued or running)',
        params: IdParams,
        body: Type.Object(
          { mode: Type.Optional(Type.Union([Mode], { default: 'incremental' })) },
          { additionalProperties: false },
        ),
        response: { 202: Run },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          runView(
            await runs.startRun(request.params.id, request.body.mode ?? 'incremental', actorOf(request)),
          ),
        ),
  );

  app.get(
    '/v1/runs',
    {
      config: { permission: 'integration:runs:read' },
      schema: {
        tags: ['runs'],
        summary: 'List runs, newest first',
        querystring: Type.Object({
          ...ListQuery.properties,
          connectorId: Type.Optional(Uuid),
          status: Type.Optional(Status),
        }),
        response: { 200: PageOf(Run) },
      },
    },
    async (request) => {
      const page = await runs.list(request.query);
      return { items: page.items.map(runView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/runs/:id',
    {
      config: { permission: 'integration:runs:read' },
      schema: {
        tags: ['runs'],
        summary: 'A run and its progress (poll it while it runs)',
        params: IdParams,
        response: { 200: Run },
      },
    },
    async (request) => runView(await runs.get(request.params.id)),
  );

  app.get(
    '/v1/runs/:id/records',
    {
      config: { permission: 'integration:runs:read' },
      schema: {
        tags: ['runs'],
        summary: 'The report of a run: each record read, its outcome and the reason',
        params: IdParams,
        querystring: Type.Object({ ...ListQuery.properties, outcome: Type.Optional(Outcome) }),
        response: { 200: PageOf(RunRecordView) },
      },
    },
    async (request) => {
      const page = await runs.records(request.params.id, request.query);
      return { items: page.items.map(recordView), nextCursor: page.nextCursor };
    },
  );
}
