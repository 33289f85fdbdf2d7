import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  withEtag,
  type ServiceApp,
} from '@lessor/service-kit';
import { money } from '@lessor/domain-values';
import type { InsurancePolicyRow } from './insurance-policy.repository.ts';
import {
  CreateInsurancePolicy,
  ExpiringPolicyList,
  ExpiringQuery,
  InsurancePolicy,
  InsurancePolicyList,
  InsurancePolicyListQuery,
  PolicyParams,
  UpdateInsurancePolicy,
  type ExpiringPolicy,
} from './insurance-policy.schemas.ts';
import type { ExpiringPolicyRow, InsurancePolicyService } from './insurance-policy.service.ts';

const tags = ['insurance'];

function view(policy: InsurancePolicyRow): InsurancePolicy {
  const { insuredAmount, insuredCurrency, premiumAmount, premiumCurrency, ...rest } = policy;
  return {
    ...auditView(rest),
    insuredAmount: money(insuredAmount, insuredCurrency),
    premium: money(premiumAmount, premiumCurrency),
  };
}

function expiringView(policy: ExpiringPolicyRow): ExpiringPolicy {
  const { asset, ...rest } = policy;
  return {
    ...view(rest),
    asset: {
      id: asset.id,
      type: asset.type,
      make: asset.make,
      model: asset.model,
      vin: asset.vin,
      serialNumber: asset.serialNumber,
      status: asset.status,
    },
  };
}

/** The API of insurance policies: a child resource of an asset, and the renewal worklist. */
export function registerInsurancePolicyRoutes(app: ServiceApp, policies: InsurancePolicyService): void {
  const base = '/v1/assets/:id/insurance-policies';

  app.get(
    '/v1/insurance-policies',
    {
      config: { permission: 'assets:insurance:read' },
      schema: {
        tags,
        summary: 'The renewal worklist: policies ending before a date, soonest first, not yet renewed',
        querystring: ExpiringQuery,
        response: { 200: ExpiringPolicyList },
      },
    },
    async (request) => {
      const page = await policies.expiring(request.query);
      return { items: page.items.map(expiringView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    base,
    {
      config: { permission: 'assets:insurance:read' },
      schema: {
        tags,
        summary: 'List the insurance policies of an asset',
        params: IdParams,
        querystring: InsurancePolicyListQuery,
        response: { 200: InsurancePolicyList },
      },
    },
    async (request) => {
      const page = await policies.list(request.params.id, request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    base,
    {
      config: { permission: 'assets:insurance:write', idempotent: true },
      schema: {
        tags,
        summary: 'Add an insurance policy to an asset',
        params: IdParams,
        body: CreateInsurancePolicy,
        response: { 201: InsurancePolicy },
      },
    },
    async (request, reply) => {
      const policy = await policies.create(request.params.id, request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/assets/${policy.assetId}/insurance-policies/${policy.id}`)
        .send(withEtag(reply, view(policy)));
    },
  );

  app.get(
    `${base}/:policyId`,
    {
      config: { permission: 'assets:insurance:read' },
      schema: {
        tags,
        summary: 'Read an insurance policy',
        params: PolicyParams,
        querystring: IncludeDeletedQuery,
        response: { 200: InsurancePolicy },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await policies.get(request.params.id, request.params.policyId, request.query.includeDeleted)),
      ),
  );

  app.patch(
    `${base}/:policyId`,
    {
      config: { permission: 'assets:insurance:write' },
      schema: {
        tags,
        summary: 'Change an insurance policy',
        params: PolicyParams,
        headers: IfMatchHeaders,
        body: UpdateInsurancePolicy,
        response: { 200: InsurancePolicy },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await policies.update(
            request.params.id,
            request.params.policyId,
            requiredVersion(request),
            request.body,
            actorOf(request),
          ),
        ),
      ),
  );

  app.delete(
    `${base}/:policyId`,
    {
      config: { permission: 'assets:insurance:write' },
      schema: {
        tags,
        summary: 'Delete an insurance policy (soft)',
        params: PolicyParams,
        headers: IfMatchHeaders,
        response: { 200: InsurancePolicy },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await policies.delete(
            request.params.id,
            request.params.policyId,
            requiredVersion(request),
            actorOf(request),
          ),
        ),
      ),
  );

  app.post(
    `${base}/:policyId/restore`,
    {
      config: { permission: 'assets:insurance:write' },
      schema: {
        tags,
        summary: 'Restore a deleted insurance policy',
        params: PolicyParams,
        response: { 200: InsurancePolicy },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await policies.restore(request.params.id, request.params.policyId, actorOf(request))),
      ),
  );
}
