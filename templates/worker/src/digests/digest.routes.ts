import type { Kysely } from 'kysely';
import { ListQuery, PageOf, paginate, Type, Uuid, type ServiceApp } from '@lessor/service-kit';
import type { __Name__Database } from '../database.ts';

const LearnedParty = Type.Object({
  partyId: Uuid,
  name: Type.String(),
  country: Type.String(),
  learnedAt: Type.String({ format: 'date-time' }),
  digestId: Type.Union([Uuid, Type.Null()], { description: 'Null until a digest gathers it.' }),
});
const Digest = Type.Object({
  id: Uuid,
  madeAt: Type.String({ format: 'date-time' }),
  parties: Type.Integer({ minimum: 1, description: 'How many parties it gathered.' }),
});

/** What __name__ shows: read only — it learns from events, nobody writes to it (`__name__:digests:read`). */
export function registerDigestRoutes(app: ServiceApp, db: Kysely<__Name__Database>): void {
  const permission = '__name__:digests:read';

  app.get(
    '/v1/learned-parties',
    {
      config: { permission },
      schema: {
        tags: ['digests'],
        summary: 'The parties learned from events, newest first',
        querystring: ListQuery,
        response: { 200: PageOf(LearnedParty) },
      },
    },
    async (request) => {
      const page = await paginate(db.selectFrom('learnedParties').selectAll(), {
        ...request.query,
        sort: { column: 'learnedAt', direction: 'desc' },
        idColumn: 'partyId',
      });
      return {
        items: page.items.map((party) => ({ ...party, learnedAt: party.learnedAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/v1/digests',
    {
      config: { permission },
      schema: {
        tags: ['digests'],
        summary: 'The digests the job made, newest first',
        querystring: ListQuery,
        response: { 200: PageOf(Digest) },
      },
    },
    async (request) => {
      const page = await paginate(db.selectFrom('digests').selectAll(), {
        ...request.query,
        sort: { column: 'madeAt', direction: 'desc' },
      });
      return {
        items: page.items.map((digest) => ({ ...digest, madeAt: digest.madeAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );
}
