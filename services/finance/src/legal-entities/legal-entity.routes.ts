import { actorOf, type ServiceApp } from '@lessor/service-kit';
import type { LegalEntityRow, LegalEntityService } from './legal-entity.service.ts';
import {
  BusinessDate,
  BusinessDateQuery,
  CreateLegalEntity,
  LegalEntity,
  LegalEntityList,
  SetBusinessDate,
} from './legal-entity.schemas.ts';

const tags = ['legal entities'];

/** Legal entities and their business dates. */
export function registerLegalEntityRoutes(
  app: ServiceApp,
  entities: LegalEntityService,
  defaults: { legalEntity: string },
): void {
  const view = (row: LegalEntityRow): LegalEntity => ({
    ...row,
    businessDate: entities.businessDateOf(row),
    followsSystemDate: row.businessDate === null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });

  app.get(
    '/v1/legal-entities',
    {
      config: { permission: 'finance:settings:read' },
      schema: {
        tags,
        summary: 'The legal entities whose books finance keeps',
        response: { 200: LegalEntityList },
      },
    },
    async () => ({ items: (await entities.list()).map(view) }),
  );

  app.post(
    '/v1/legal-entities',
    {
      config: { permission: 'finance:settings:write' },
      schema: {
        tags,
        summary: 'Open the books of a legal entity',
        description: 'With the default chart of a leasing company (`chart: default`) or an empty one.',
        body: CreateLegalEntity,
        response: { 201: LegalEntity },
      },
    },
    async (request, reply) =>
      reply.code(201).send(view(await entities.create(request.body, actorOf(request)))),
  );

  app.get(
    '/v1/business-date',
    {
      config: { permission: 'finance:settings:read' },
      schema: {
        tags,
        summary: 'The business date of a legal entity',
        description:
          'The date its books stand at, kept apart from the system date: entries may not be dated after it.',
        querystring: BusinessDateQuery,
        response: { 200: BusinessDate },
      },
    },
    async (request) => {
      const row = await entities.get(request.query.legalEntity ?? defaults.legalEntity);
      return {
        legalEntity: row.code,
        businessDate: entities.businessDateOf(row),
        followsSystemDate: row.businessDate === null,
      };
    },
  );

  app.put(
    '/v1/business-date',
    {
      config: { permission: 'finance:settings:write' },
      schema: {
        tags,
        summary: 'Set the business date of a legal entity',
        description: 'null lets it follow the system date (UTC) again.',
        querystring: BusinessDateQuery,
        body: SetBusinessDate,
        response: { 200: BusinessDate },
      },
    },
    async (request) => {
      const row = await entities.setBusinessDate(
        request.query.legalEntity ?? defaults.legalEntity,
        request.body.businessDate,
        actorOf(request),
      );
      return {
        legalEntity: row.code,
        businessDate: entities.businessDateOf(row),
        followsSystemDate: row.businessDate === null,
      };
    },
  );
}
