import { actorOf, Type, Uuid, type ServiceApp } from '@lessor/service-kit';
import type { SyncRun, SyncService } from './sync.service.ts';

const Run = Type.Object({
  id: Uuid,
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  startedAt: Type.String({ format: 'date-time' }),
  startedBy: Type.String(),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  cursor: Type.Union([Type.String(), Type.Null()], { description: 'Where the outside system is read next.' }),
  pages: Type.Integer({ minimum: 0 }),
  records: Type.Integer({ minimum: 0 }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why a failed run failed.' }),
});
const SyncState = Type.Object({
  status: Type.Union([Type.Literal('never-run'), Run.properties.status]),
  latest: Type.Union([Run, Type.Null()]),
});

const view = (run: SyncRun) => ({
  ...run,
  startedAt: run.startedAt.toISOString(),
  finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
});

/** The sync as a resource: its state and progress (`integration:sync:read`), and starting a run (`integration:sync:write`). */
export function registerSyncRoutes(app: ServiceApp, sync: SyncService): void {
  app.get(
    '/v1/sync',
    {
      config: { permission: 'integration:sync:read' },
      schema: {
        tags: ['sync'],
        summary: 'The state of the sync: the latest run and its progress',
        response: { 200: SyncState },
      },
    },
    async () => {
      const latest = await sync.latest();
      return { status: latest?.status ?? ('never-run' as const), latest: latest ? view(latest) : null };
    },
  );

  app.post(
    '/v1/sync',
    {
      config: { permission: 'integration:sync:write' },
      schema: {
        tags: ['sync'],
        summary: 'Start a sync run (409 while one is under way); GET shows how it goes',
        response: { 202: Run },
      },
    },
    async (request, reply) => reply.code(202).send(view(await sync.start(actorOf(request)))),
  );
}
