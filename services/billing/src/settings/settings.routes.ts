import {
  actorOf,
  IfMatchHeaders,
  requiredVersion,
  Type,
  withEtag,
  type ServiceApp,
} from '@lessor/service-kit';
import { COMPONENTS, INVOICE_ORDERS } from '../allocations/allocation.ts';
import { Nullable } from '../api.schemas.ts';
import type { Setting } from './settings.repository.ts';
import type { SettingsService } from './settings.service.ts';

const tags = ['settings'];

const Stamp = {
  version: Type.Integer({ minimum: 1, description: 'Send it back as If-Match to change the settings.' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedBy: Nullable(Type.String()),
};

const AllocationRulesBody = Type.Object(
  {
    invoiceOrder: Type.Enum(INVOICE_ORDERS, {
      description: 'Which invoice is settled first, by due date (then number).',
    }),
    componentOrder: Type.Array(Type.Enum(COMPONENTS), {
      minItems: 5,
      maxItems: 5,
      uniqueItems: true,
      description: 'Within an invoice, which part is settled first; each of the five exactly once.',
    }),
  },
  { additionalProperties: false },
);
const AllocationRules = Type.Object({ ...AllocationRulesBody.properties, ...Stamp });

const DunningLevelsBody = Type.Object(
  {
    levels: Type.Array(
      Type.Object(
        {
          level: Type.Integer({ minimum: 1, maximum: 9 }),
          daysOverdue: Type.Integer({ minimum: 1, maximum: 3650 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 9, description: 'Level 1, 2, 3… each reached this many days after the due date.' },
    ),
  },
  { additionalProperties: false },
);
const DunningLevels = Type.Object({ ...DunningLevelsBody.properties, ...Stamp });

const view = <T extends object>(setting: Setting<T>) => ({
  ...setting.value,
  version: setting.version,
  updatedAt: setting.updatedAt ? setting.updatedAt.toISOString() : null,
  updatedBy: setting.updatedBy,
});

/** The API of billing's settings: allocation rules and dunning levels, versioned (If-Match). */
export function registerSettingsRoutes(app: ServiceApp, settings: SettingsService): void {
  app.get(
    '/v1/allocation-rules',
    {
      config: { permission: 'billing:settings:read' },
      schema: { tags, summary: 'The allocation rules', response: { 200: AllocationRules } },
    },
    async (_request, reply) => withEtag(reply, view(await settings.allocationRules())),
  );

  app.put(
    '/v1/allocation-rules',
    {
      config: { permission: 'billing:settings:write' },
      schema: {
        tags,
        summary: 'Change the allocation rules',
        description: 'They apply to allocations made from now on; past allocations stay as they were.',
        headers: IfMatchHeaders,
        body: AllocationRulesBody,
        response: { 200: AllocationRules },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await settings.setAllocationRules(request.body, requiredVersion(request), actorOf(request))),
      ),
  );

  app.get(
    '/v1/dunning-levels',
    {
      config: { permission: 'billing:settings:read' },
      schema: { tags, summary: 'The dunning levels', response: { 200: DunningLevels } },
    },
    async (_request, reply) => withEtag(reply, view(await settings.dunningLevels())),
  );

  app.put(
    '/v1/dunning-levels',
    {
      config: { permission: 'billing:settings:write' },
      schema: {
        tags,
        summary: 'Change the dunning levels',
        headers: IfMatchHeaders,
        body: DunningLevelsBody,
        response: { 200: DunningLevels },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await settings.setDunningLevels(request.body.levels, requiredVersion(request), actorOf(request)),
        ),
      ),
  );
}
