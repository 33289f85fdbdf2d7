import type { Kysely } from 'kysely';
import { kitErrors, type Page } from '@lessor/service-kit';
import { utcDate } from '@lessor/domain-values';
import type { AssetsDatabase } from '../database.ts';
import type { AssetsEvents } from '../assets.events.ts';
import { assetsErrors } from '../assets.errors.ts';
import { AssetRepository, type AssetRow } from '../assets/asset.repository.ts';
import { formatAmount } from '@lessor/domain-values';
import { policyErrors, type PolicyFacts } from './insurance-policy.ts';
import { InsurancePolicyRepository, type InsurancePolicyRow } from './insurance-policy.repository.ts';
import type {
  CreateInsurancePolicy,
  ExpiringQuery,
  InsurancePolicyListQuery,
  UpdateInsurancePolicy,
} from './insurance-policy.schemas.ts';

/** A policy on the renewal worklist, with the asset it covers. */
export interface ExpiringPolicyRow extends InsurancePolicyRow {
  asset: AssetRow;
}

/**
 * Insurance policies of assets, and the renewal worklist. A policy belongs to one live asset; its period
 * runs from validFrom to validTo, both days included.
 */
export class InsurancePolicyService {
  constructor(
    private readonly db: Kysely<AssetsDatabase>,
    private readonly events: AssetsEvents,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(assetId: string, query: InsurancePolicyListQuery): Promise<Page<InsurancePolicyRow>> {
    await this.#asset(new AssetRepository(this.db), assetId);
    return new InsurancePolicyRepository(this.db).listOfAsset(assetId, query);
  }

  async get(assetId: string, id: string, includeDeleted = false): Promise<InsurancePolicyRow> {
    await this.#asset(new AssetRepository(this.db), assetId);
    return this.#find(new InsurancePolicyRepository(this.db), assetId, id, includeDeleted);
  }

  async create(assetId: string, input: CreateInsurancePolicy, actor: string): Promise<InsurancePolicyRow> {
    refuseInvalid(input);
    return this.db.transaction().execute(async (trx) => {
      await this.#asset(new AssetRepository(trx), assetId);
      const policies = new InsurancePolicyRepository(trx);
      const insurer = input.insurer.trim();
      await refuseTaken(policies, insurer, input.policyNumber);
      const policy = await policies.insert(
        {
          assetId,
          insurer,
          policyNumber: input.policyNumber,
          coverage: input.coverage?.trim() ?? '',
          insuredAmount: formatAmount(input.insuredAmount.amount, input.insuredAmount.currency),
          insuredCurrency: input.insuredAmount.currency,
          premiumAmount: formatAmount(input.premium.amount, input.premium.currency),
          premiumCurrency: input.premium.currency,
          validFrom: input.validFrom,
          validTo: input.validTo,
        },
        actor,
      );
      await this.events.insurancePolicyChanged(trx, 'created', null, policy, actor);
      return policy;
    });
  }

  async update(
    assetId: string,
    id: string,
    version: number,
    changes: UpdateInsurancePolicy,
    actor: string,
  ): Promise<InsurancePolicyRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.#asset(new AssetRepository(trx), assetId);
      const policies = new InsurancePolicyRepository(trx);
      const before = await this.#find(policies, assetId, id);
      const facts: PolicyFacts = {
        insuredAmount: changes.insuredAmount ?? {
          amount: before.insuredAmount,
          currency: before.insuredCurrency,
        },
        premium: changes.premium ?? { amount: before.premiumAmount, currency: before.premiumCurrency },
        validFrom: changes.validFrom ?? before.validFrom,
        validTo: changes.validTo ?? before.validTo,
      };
      refuseInvalid(facts);
      const insurer = changes.insurer?.trim() ?? before.insurer;
      await refuseTaken(policies, insurer, changes.policyNumber ?? before.policyNumber, id);
      const after = await policies.update(
        id,
        version,
        {
          insurer,
          ...(changes.policyNumber === undefined ? {} : { policyNumber: changes.policyNumber }),
          ...(changes.coverage === undefined ? {} : { coverage: changes.coverage.trim() }),
          insuredAmount: formatAmount(facts.insuredAmount.amount, facts.insuredAmount.currency),
          insuredCurrency: facts.insuredAmount.currency,
          premiumAmount: formatAmount(facts.premium.amount, facts.premium.currency),
          premiumCurrency: facts.premium.currency,
          validFrom: facts.validFrom,
          validTo: facts.validTo,
        },
        actor,
      );
      await this.events.insurancePolicyChanged(trx, 'updated', before, after, actor);
      return after;
    });
  }

  async delete(assetId: string, id: string, version: number, actor: string): Promise<InsurancePolicyRow> {
    return this.db.transaction().execute(async (trx) => {
      const policies = new InsurancePolicyRepository(trx);
      const before = await this.#find(policies, assetId, id);
      const after = await policies.softDelete(id, version, actor);
      await this.events.insurancePolicyChanged(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  async restore(assetId: string, id: string, actor: string): Promise<InsurancePolicyRow> {
    return this.db.transaction().execute(async (trx) => {
      await this.#asset(new AssetRepository(trx), assetId);
      const policies = new InsurancePolicyRepository(trx);
      const before = await this.#find(policies, assetId, id, true);
      await refuseTaken(policies, before.insurer, before.policyNumber, id);
      const after = await policies.restore(id, actor);
      await this.events.insurancePolicyChanged(trx, 'restored', before, after, actor);
      return after;
    });
  }

  /** The renewal worklist (see `InsurancePolicyRepository.expiring`), each policy with its asset. */
  async expiring(query: ExpiringQuery): Promise<Page<ExpiringPolicyRow>> {
    const page = await new InsurancePolicyRepository(this.db).expiring({
      ...query,
      today: utcDate(this.clock()),
    });
    const assetIds = [...new Set(page.items.map((policy) => policy.assetId))];
    const assets =
      assetIds.length === 0
        ? []
        : await this.db.selectFrom('assets').selectAll().where('id', 'in', assetIds).execute();
    const byId = new Map(assets.map((asset) => [asset.id, asset]));
    return {
      items: page.items.flatMap((policy) => {
        const asset = byId.get(policy.assetId);
        return asset ? [{ ...policy, asset }] : [];
      }),
      nextCursor: page.nextCursor,
    };
  }

  async #asset(assets: AssetRepository, assetId: string): Promise<AssetRow> {
    const asset = await assets.find(assetId);
    if (!asset) throw kitErrors.create.NOT_FOUND(`No asset ${assetId}`);
    return asset;
  }

  async #find(
    policies: InsurancePolicyRepository,
    assetId: string,
    id: string,
    includeDeleted = false,
  ): Promise<InsurancePolicyRow> {
    const policy = await policies.findOfAsset(assetId, id, includeDeleted);
    if (!policy) throw kitErrors.create.NOT_FOUND(`Asset ${assetId} has no insurance policy ${id}`);
    return policy;
  }
}

function refuseInvalid(facts: PolicyFacts): void {
  const errors = policyErrors(facts);
  if (errors.length > 0) {
    throw kitErrors.create.VALIDATION_FAILED(`${errors.length} field(s) failed validation`, { errors });
  }
}

async function refuseTaken(
  policies: InsurancePolicyRepository,
  insurer: string,
  policyNumber: string,
  exceptId?: string,
): Promise<void> {
  if (await policies.findLiveByNumber(insurer, policyNumber, exceptId)) {
    throw assetsErrors.create.INSURANCE_POLICY_NUMBER_TAKEN(`${insurer} policy ${policyNumber} exists`, {
      errors: [{ field: '/body/policyNumber', message: 'is taken by another live policy of this insurer' }],
    });
  }
}
