import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  parseIfMatch,
  principalOf,
  requiredVersion,
  type ServiceApp,
  Type,
  Uuid,
  withEtag,
} from '@lessor/service-kit';
import type { LeaseSchedule } from '@lessor/lease-math';
import { money, scheduleLines, scheduleTotals } from '../calculations/calculation.view.ts';
import type { ReferenceName } from '../references/references.ts';
import type { ContractRow, ContractScheduleRow, TerminationQuoteRow } from './contract.repository.ts';
import {
  CloseRequest,
  Contract,
  ContractList,
  ContractListQuery,
  ContractReadQuery,
  CreateContract,
  QuoteRequest,
  ReasonedTransitionRequest,
  RestructureRequest,
  Schedule,
  ScheduleQuery,
  TerminateRequest,
  TerminationQuote,
  TransitionList,
  TransitionRequest,
  UpdateContract,
} from './contract.schemas.ts';
import type { ContractService } from './contract.service.ts';
import { TRANSITIONS } from './contract.ts';

const tags = ['contracts'];

/** Four eyes, as the API documents them on the write and on the decisions. */
const FOUR_EYES = `**Four eyes.** Whoever approves or rejects a contract has neither made it nor changed it in any way since it was made. Every change of a draft (this PATCH, even with the values it has; a delete or a restore) adds its caller to the contract's \`editors\`; its author (\`createdBy\`) and its editors are refused: 403 \`FOUR_EYES_REQUIRED\` for the author, 403 \`FOUR_EYES_EDITOR\` for an editor. There is one approval step and it leaves \`draft\`; an approved or signed contract cannot be changed (409 \`CONTRACT_TRANSITION_REFUSED\`), so no approval ever stands over terms other than those approved. The database enforces the same (constraint \`contracts_four_eyes\`, trigger \`leasing_contract_guard\`).`;

/** A contract as the API shows it; names come fresh from their owners, or last known and marked stale. */
function view(contract: ContractRow, names?: { party: ReferenceName; asset: ReferenceName }): Contract {
  const m = (amount: string) => money(amount, contract.currency);
  const { partyName, assetName, partyId, assetId, ...rest } = contract;
  return {
    ...auditView(rest),
    status: contract.status as Contract['status'],
    // A list (and `names=stored`) does not call parties and assets: it shows the names kept on the contract,
    // current as of the last rename event leasing consumed.
    party: names?.party ?? {
      id: partyId,
      name: partyName,
      stale: true,
      reason: 'as stored on the contract',
    },
    asset: names?.asset ?? {
      id: assetId,
      name: assetName,
      stale: true,
      reason: 'as stored on the contract',
    },
    assetPrice: m(contract.assetPrice),
    advance: m(contract.advance),
    financedAmount: m(contract.financedAmount),
    residualValue: m(contract.residualValue),
    approvedAt: contract.approvedAt ? contract.approvedAt.toISOString() : null,
    statusChangedAt: contract.statusChangedAt ? contract.statusChangedAt.toISOString() : null,
  };
}

function scheduleView(row: ContractScheduleRow) {
  const schedule = row.schedule as LeaseSchedule;
  return {
    contractId: row.contractId,
    version: row.version,
    effectiveFrom: row.effectiveFrom,
    effectiveRate: schedule.effectiveRate,
    schedule: scheduleLines(schedule),
    totals: scheduleTotals(schedule),
  };
}

function quoteView(row: TerminationQuoteRow, currency: string) {
  const amounts = row.quote as Record<string, string>;
  const m = (amount: string | undefined) => money(amount ?? '0', currency);
  return {
    id: row.id,
    contractId: row.contractId,
    scheduleVersion: row.scheduleVersion,
    terminationDate: row.terminationDate,
    validUntil: row.validUntil,
    remainingPrincipal: m(amounts.remainingPrincipal),
    accruedInterest: m(amounts.accruedInterest),
    fee: m(amounts.fee),
    feeVat: m(amounts.feeVat),
    overdue: m(amounts.overdueTotal),
    total: m(amounts.total),
    executedAt: row.executedAt ? row.executedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

/** The API of contracts: CRUD of drafts, the status transitions, schedules, termination and restructuring. */
export function registerContractRoutes(app: ServiceApp, contracts: ContractService): void {
  const fresh = async (contract: ContractRow) => view(contract, await contracts.names(contract));

  app.get(
    '/v1/contracts',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'List contracts',
        querystring: ContractListQuery,
        response: { 200: ContractList },
      },
    },
    async (request) => {
      const page = await contracts.list(request.query);
      return { items: page.items.map((contract) => view(contract)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/contracts',
    {
      config: { permission: 'leasing:contracts:write', idempotent: true },
      schema: {
        tags,
        summary: 'Make a draft contract from a calculation, for a party and an asset',
        description:
          'Checks with parties and assets that both exist and the asset is available; when either service is down the answer is 503 and nothing is made.',
        body: CreateContract,
        response: { 201: Contract },
      },
    },
    async (request, reply) => {
      const contract = await contracts.create(request.body, actorOf(request), principalOf(request).name);
      // Its names were fetched fresh for this write: asking parties and assets again would, on PGlite, wait for the
      // session that the request's transaction holds until the answer is stored (Idempotency-Key, ADR 8).
      const names = {
        party: { id: contract.partyId, name: contract.partyName, stale: false },
        asset: { id: contract.assetId, name: contract.assetName, stale: false },
      };
      return reply
        .code(201)
        .header('location', `/v1/contracts/${contract.id}`)
        .send(withEtag(reply, view(contract, names)));
    },
  );

  app.get(
    '/v1/contracts/:id',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'Read a contract',
        description:
          'Party and asset names are fresh, or the last known ones with `stale: true` when their service is down.',
        params: IdParams,
        querystring: ContractReadQuery,
        response: { 200: Contract },
      },
    },
    async (request, reply) => {
      const contract = await contracts.get(request.params.id, request.query.includeDeleted);
      return withEtag(reply, request.query.names === 'stored' ? view(contract) : await fresh(contract));
    },
  );

  app.patch(
    '/v1/contracts/:id',
    {
      config: { permission: 'leasing:contracts:write' },
      schema: {
        tags,
        summary: 'Change a draft contract',
        description: `Only a draft changes; a new \`calculationId\` brings its numbers and schedule. The caller becomes one of the contract's \`editors\` and can then neither approve nor reject it.\n\n${FOUR_EYES}`,
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateContract,
        response: { 200: Contract },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await fresh(
          await contracts.update(request.params.id, requiredVersion(request), request.body, actorOf(request)),
        ),
      ),
  );

  app.delete(
    '/v1/contracts/:id',
    {
      config: { permission: 'leasing:contracts:write' },
      schema: {
        tags,
        summary: 'Delete a draft or rejected contract (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Contract },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await contracts.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/contracts/:id/restore',
    {
      config: { permission: 'leasing:contracts:write' },
      schema: { tags, summary: 'Restore a deleted contract', params: IdParams, response: { 200: Contract } },
    },
    async (request, reply) =>
      withEtag(reply, view(await contracts.restore(request.params.id, actorOf(request)))),
  );

  const transition = (
    name: keyof typeof TRANSITIONS,
    path: string,
    summary: string,
    body: typeof TransitionRequest | typeof ReasonedTransitionRequest | typeof CloseRequest,
    run: (id: string, body: never, actor: string, actorName: string) => Promise<ContractRow>,
    more = '',
  ) =>
    app.post(
      `/v1/contracts/:id/${path}`,
      {
        config: { permission: TRANSITIONS[name].permission },
        schema: {
          tags,
          summary,
          description: `From ${TRANSITIONS[name].from.join(' or ')} to ${TRANSITIONS[name].to}. Permission \`${TRANSITIONS[name].permission}\`.${more}`,
          params: IdParams,
          body,
          response: { 200: Contract },
        },
      },
      async (request, reply) =>
        withEtag(
          reply,
          view(
            await run(
              request.params.id,
              (request.body ?? {}) as never,
              actorOf(request),
              principalOf(request).name,
            ),
          ),
        ),
    );

  transition(
    'approve',
    'approve',
    'Approve a draft (not by its author nor by anyone who changed it)',
    TransitionRequest,
    (id, body, actor, actorName) => contracts.approve(id, body, actor, actorName),
    ` The party's KYC must be verified and the asset still available (asked fresh; 503 when parties or assets does not answer). The approver's id and token name are kept as \`approvedBy\` and \`approvedByName\`.\n\n${FOUR_EYES}`,
  );
  transition(
    'reject',
    'reject',
    'Reject a draft (not by its author nor by anyone who changed it)',
    ReasonedTransitionRequest,
    (id, body, actor) => contracts.reject(id, body, actor),
    `\n\n${FOUR_EYES}`,
  );
  transition('sign', 'sign', 'Record the lessee’s signature', TransitionRequest, (id, body, actor) =>
    contracts.sign(id, body, actor),
  );
  transition(
    'activate',
    'activate',
    'Start the lease: the schedule binds',
    TransitionRequest,
    (id, body, actor) => contracts.activate(id, body, actor),
  );
  transition('close', 'close', 'Close a contract whose term has run', CloseRequest, (id, body, actor) =>
    contracts.close(id, body, actor),
  );
  transition(
    'default',
    'default',
    'Declare a contract in default',
    ReasonedTransitionRequest,
    (id, body, actor) => contracts.markDefaulted(id, body, actor),
  );

  app.get(
    '/v1/contracts/:id/schedule',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'The contract’s schedule (current version unless asked)',
        params: IdParams,
        querystring: ScheduleQuery,
        response: { 200: Schedule },
      },
    },
    async (request) => scheduleView(await contracts.schedule(request.params.id, request.query.version)),
  );

  app.get(
    '/v1/contracts/:id/history',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'The contract’s status history',
        params: IdParams,
        response: { 200: TransitionList },
      },
    },
    async (request) => ({
      items: (await contracts.history(request.params.id)).map((row) => ({
        from: row.fromStatus,
        to: row.toStatus,
        businessDate: row.businessDate,
        reason: row.reason,
        actor: row.actor,
        at: row.at.toISOString(),
      })),
    }),
  );

  app.post(
    '/v1/contracts/:id/termination-quotes',
    {
      config: { permission: 'leasing:contracts:terminate' },
      schema: {
        tags,
        summary: 'Quote an early termination at a date',
        params: IdParams,
        body: QuoteRequest,
        response: { 201: TerminationQuote },
      },
    },
    async (request, reply) => {
      const contract = await contracts.get(request.params.id);
      const quote = await contracts.quoteTermination(request.params.id, request.body, actorOf(request));
      return reply.code(201).send(quoteView(quote, contract.currency));
    },
  );

  app.get(
    '/v1/contracts/:id/termination-quotes/:quoteId',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'Read a termination quote',
        params: Type.Object({ id: Uuid, quoteId: Uuid }, { additionalProperties: false }),
        response: { 200: TerminationQuote },
      },
    },
    async (request) => {
      const contract = await contracts.get(request.params.id);
      return quoteView(
        await contracts.getQuote(request.params.id, request.params.quoteId),
        contract.currency,
      );
    },
  );

  app.post(
    '/v1/contracts/:id/terminate',
    {
      config: { permission: TRANSITIONS.terminate.permission },
      schema: {
        tags,
        summary: 'Execute a termination quote: the contract ends early',
        params: IdParams,
        body: TerminateRequest,
        response: { 200: Contract },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await contracts.terminate(request.params.id, request.body.quoteId, actorOf(request))),
      ),
  );

  app.post(
    '/v1/contracts/:id/restructure',
    {
      config: { permission: 'leasing:contracts:restructure' },
      schema: {
        tags,
        summary: 'Give an active contract a new schedule version from a date',
        description: 'A new term or rate for what is unpaid; installments due before `fromDate` are kept.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: RestructureRequest,
        response: { 200: Contract },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await contracts.restructure(
            request.params.id,
            parseIfMatch(request.headers['if-match']),
            request.body,
            actorOf(request),
          ),
        ),
      ),
  );
}
