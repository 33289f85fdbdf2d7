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
  /** Present because the card asks for it (`include=schedule`). */
  schedule?: Parameters<typeof scheduleSummary>[0];
}

/**
 * GET /v1/contract-cards/{id} (reached as /api/gateway/v1/contract-cards/{id}): a contract with its party,
 * asset and schedule summary in one answer. Each owner is asked once: leasing for the contract with its
 * schedule (`include=schedule`; its party and asset names come from leasing's own copy, so leasing calls
 * nobody), then parties and assets in parallel — their ids are in the contract, so they cannot be asked
 * before it. Each call within its deadline (the 300 ms budget per call between services), with the caller's
 * own token — every service still checks its own permission. A part that fails is empty with its reason; the
 * card is never a 500.
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
          'Each owner is asked once: leasing for the contract and its schedule, then parties and assets in parallel, each call within the 300 ms budget; a part whose service is down, slow or refusing is null, and `parts` says why (the contract still names its party and asset from leasing’s own copy).',
        params: IdParams,
        response: { 200: ContractCard },
      },
    },
    async (request) => {
      const id = request.params.id;
      const authorization = request.headers.authorization;
      // One call to leasing: the contract and its current schedule together.
      const contract = await part<ContractAnswer & Record<string, unknown>>(
        'leasing',
        `/v1/contracts/${id}?include=schedule`,
        authorization,
      );
      if (contract.status.status === 'not-found') throw kitErrors.create.NOT_FOUND(`No contract ${id}`);
      const { schedule, ...contractValue } = contract.value ?? {};
      const scheduleStatus: Part<unknown>['status'] = contract.value
        ? schedule
          ? { status: 'ok' }
          : { status: 'unavailable', reason: 'leasing gave the contract without its schedule' }
        : contract.status;
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
        contract: contract.value ? contractValue : null,
        party: party.value,
        asset: asset.value,
        schedule: schedule ? scheduleSummary(schedule, today()) : null,
        parts: {
          contract: contract.status,
          party: party.status,
          asset: asset.status,
          schedule: scheduleStatus,
        },
      };
    },
  );
}
