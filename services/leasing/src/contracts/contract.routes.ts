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
import type { ContractRow, ContractScheduleRow, TerminationQuoteRow } from './contract.repository.ts';
import {
  CloseRequest,
  Contract,
  ContractList,
  ContractRead,
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
import type { ContractNames, ContractService } from './contract.service.ts';
import { TRANSITIONS } from './contract.ts';

const tags = ['contracts'];

/** Four eyes, as the API documents them on the write and on the decisions. */
const FOUR_EYES = `**Four eyes.** Whoever approves or rejects a contract has neither made it nor changed it in any way since it was made. Every change of a draft (this PATCH, even with the values it has; a delete or a restore) adds its caller to the contract's \`editors\`; its author (\`createdBy\`) and its editors are refused: 403 \`FOUR_EYES_REQUIRED\` for the author, 403 \`FOUR_EYES_EDITOR\` for an editor. There is one approval step and it leaves \`draft\`; an approved or signed contract cannot be changed (409 \`CONTRACT_TRANSITION_REFUSED\`), so no approval ever stands over terms other than those approved. The database enforces the same (constraint \`contracts_four_eyes\`, trigger \`leasing_contract_guard\`).`;

/** A contract as the API shows it, with the party's and asset's names from leasing's own copy. */
function view(contract: ContractRow, names: ContractNames): Contract {
  const m = (amount: string) => money(amount, contract.currency);
  const {
    partyName: _partyName,
    assetName: _assetName,
    partyId: _partyId,
    assetId: _assetId,
    ...rest
  } = contract;
  return {
    ...auditView(rest),
    status: contract.status as Contract['status'],
    // No read calls parties or assets: the names come from leasing's copy, kept by their events.
    party: names.party,
    asset: names.asset,
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
  const shown = async (contract: ContractRow) =>
    view(contract, (await contracts.names([contract]))(contract));

  app.get(
    '/v1/contracts',
    {
      config: { permission: 'leasing:contracts:read' },
      schema: {
        tags,
        summary: 'List contracts',
        description:
          'The party’s and asset’s names come from leasing’s own copy (kept by their events, each with `asOf`): a list calls neither parties nor assets.',
        querystring: ContractListQuery,
        response: { 200: ContractList },
      },
    },
    async (request) => {
      const page = await contracts.list(request.query);
      const names = await contracts.names(page.items);
      return {
        items: page.items.map((contract) => view(contract, names(contract))),
        nextCursor: page.nextCursor,
      };
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
      return reply
        .code(201)
        .header('location', `/v1/contracts/${contract.id}`)
        .send(withEtag(reply, await shown(contract)));
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
          'Answers from leasing alone, never waiting on parties or assets: the party’s and asset’s names come from leasing’s own copy (kept by their events), each with `asOf`; a name not yet known is null with `stale: true`. `include=schedule` adds the current schedule, so a composed read (the gateway’s contract card) asks leasing once.',
        params: IdParams,
        querystring: ContractReadQuery,
        response: { 200: ContractRead },
      },
    },
    async (request, reply) => {
      const contract = await contracts.get(request.params.id, request.query.includeDeleted);
      const [shownContract, schedule] = await Promise.all([
        shown(contract),
        request.query.include === 'schedule'
          ? contracts.schedule(contract.id, undefined, contract)
          : Promise.resolve(undefined),
      ]);
      return withEtag(
        reply,
        schedule ? { ...shownContract, schedule: scheduleView(schedule) } : shownContract,
      );
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
        await shown(
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
        await shown(await contracts.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/contracts/:id/restore',
    {
      config: { permission: 'leasing:contracts:write' },
      schema: { tags, summary: 'Restore a deleted contract', params: IdParams, response: { 200: Contract } },
    },
    async (request, reply) =>
      withEtag(reply, await shown(await contracts.restore(request.params.id, actorOf(request)))),
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
          await shown(
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
        await shown(await contracts.terminate(request.params.id, request.body.quoteId, actorOf(request))),
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
        await shown(
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
