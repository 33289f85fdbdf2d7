import { createServiceClient, type ServiceClient } from '@lessor/http-client';
import { IdParams, kitErrors, Type, type ServiceApp } from '@lessor/service-kit';
import type { ServiceRegistry } from '../registry/service-registry.ts';
import { fetchPart, scheduleSummary, skipped, type Part } from './contract-card.ts';

const PartStatus = Type.Object({
  status: Type.Union([
    Type.Literal('ok'),
    Type.Literal('unavailable'),
    Type.Literal('forbidden'),
    Type.Literal('not-found'),
    Type.Literal('skipped'),
  ]),
  reason: Type.Optional(Type.String()),
});
const Loose = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);

const ContractCard = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contract: Loose,
  party: Loose,
  asset: Loose,
  schedule: Loose,
  parts: Type.Object({ contract: PartStatus, party: PartStatus, asset: PartStatus, schedule: PartStatus }),
});

interface ContractAnswer {
  party: { id: string };
  asset: { id: string };
}

/**
 * GET /v1/contract-cards/{id} (reached as /api/gateway/v1/contract-cards/{id}): a contract with its party,
 * asset and schedule summary in one answer. The contract and its schedule are fetched in parallel, then the
 * party and the asset in parallel, each within its deadline, with the caller's own token — every service
 * still checks its own permission. A part that fails is empty with its reason; the card is never a 500.
 */
export function registerContractCardRoutes(
  app: ServiceApp,
  registry: ServiceRegistry,
  options: { deadlineMs: number; today?: () => string },
): void {
  const clients = new Map<string, ServiceClient>();
  const client = (service: string): ServiceClient | undefined => {
    const entry = registry.find(service);
    if (!entry) return undefined;
    let existing = clients.get(service);
    if (!existing) {
      // No cache and no retries beyond the client's defaults: the caller's token decides what each answer may hold.
      existing = createServiceClient({
        service,
        baseUrl: entry.baseUrl,
        deadlineMs: options.deadlineMs,
        logger: app.log,
      });
      clients.set(service, existing);
    }
    return existing;
  };
  app.addHook('onClose', async () => {
    for (const existing of clients.values()) existing.close();
  });
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));

  const part = <T>(service: string, path: string, authorization: string | undefined): Promise<Part<T>> => {
    const target = client(service);
    return target
      ? fetchPart<T>(target, path, authorization, options.deadlineMs)
      : Promise.resolve({
          value: null,
          status: { status: 'unavailable', reason: `${service} is not configured` },
        });
  };

  app.get(
    '/v1/contract-cards/:id',
    {
      config: { permission: 'gateway:contract-cards:read' },
      schema: {
        tags: ['composed reads'],
        summary: 'A contract with its party, asset and schedule summary, in one answer',
        description:
          'Each part comes from its own service within a deadline; a part whose service is down, slow or refusing is null, and `parts` says why.',
        params: IdParams,
        response: { 200: ContractCard },
      },
    },
    async (request) => {
      const id = request.params.id;
      const authorization = request.headers.authorization;
      const [contract, schedule] = await Promise.all([
        // The card reads party and asset itself: leasing need not ask them for the names too.
        part<ContractAnswer & Record<string, unknown>>(
          'leasing',
          `/v1/contracts/${id}?names=stored`,
          authorization,
        ),
        part<Parameters<typeof scheduleSummary>[0]>('leasing', `/v1/contracts/${id}/schedule`, authorization),
      ]);
      if (contract.status.status === 'not-found') throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
      const [party, asset] = contract.value
        ? await Promise.all([
            part<Record<string, unknown>>('parties', `/v1/parties/${contract.value.party.id}`, authorization),
            part<Record<string, unknown>>('assets', `/v1/assets/${contract.value.asset.id}`, authorization),
          ])
        : [
            skipped<Record<string, unknown>>('the contract could not be read'),
            skipped<Record<string, unknown>>('the contract could not be read'),
          ];
      return {
        id,
        contract: contract.value,
        party: party.value,
        asset: asset.value,
        schedule: schedule.value ? scheduleSummary(schedule.value, today()) : null,
        parts: {
          contract: contract.status,
          party: party.status,
          asset: asset.status,
          schedule: schedule.status,
        },
      };
    },
  );
}
