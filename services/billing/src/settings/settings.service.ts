import type { Kysely } from 'kysely';
import {
  componentOrderProblem,
  DEFAULT_ALLOCATION_RULES,
  type AllocationRules,
} from '../allocations/allocation.ts';
import { billingErrors } from '../billing.errors.ts';
import type { BillingEvents } from '../billing.events.ts';
import type { BillingDatabase } from '../database.ts';
import { DEFAULT_DUNNING_LEVELS, dunningLevelsProblem, type DunningLevel } from '../overdue/overdue.ts';
import { SettingsRepository, type Setting } from './settings.repository.ts';

const ALLOCATION_RULES = 'allocation-rules';
const DUNNING_LEVELS = 'dunning-levels';

/**
 * The allocation rules and the dunning levels: configuration kept as data, changed through the API, each change
 * with its change event (before and after) in the transaction that writes it.
 */
export class SettingsService {
  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly events: BillingEvents,
  ) {}

  /** Read in the caller's transaction when given, so an allocation uses the rules of its own moment. */
  allocationRules(trx: Kysely<BillingDatabase> = this.db): Promise<Setting<AllocationRules>> {
    return new SettingsRepository(trx).read(ALLOCATION_RULES, DEFAULT_ALLOCATION_RULES);
  }

  async setAllocationRules(rules: AllocationRules, version: number, actor: string) {
    const problem = componentOrderProblem(rules.componentOrder);
    if (problem)
      throw billingErrors.create.SETTINGS_INVALID(`componentOrder ${problem}`, {
        errors: [{ field: '/body/componentOrder', message: problem }],
      });
    return this.db.transaction().execute(async (trx) => {
      const before = await this.allocationRules(trx);
      const after = await new SettingsRepository(trx).write(ALLOCATION_RULES, rules, version, actor);
      await this.events.allocationRulesChanged(trx, before, after, actor);
      return after;
    });
  }

  dunningLevels(trx: Kysely<BillingDatabase> = this.db): Promise<Setting<{ levels: DunningLevel[] }>> {
    return new SettingsRepository(trx).read(DUNNING_LEVELS, { levels: DEFAULT_DUNNING_LEVELS });
  }

  async setDunningLevels(levels: DunningLevel[], version: number, actor: string) {
    const problem = dunningLevelsProblem(levels);
    if (problem)
      throw billingErrors.create.SETTINGS_INVALID(problem, {
        errors: [{ field: '/body/levels', message: problem }],
      });
    return this.db.transaction().execute(async (trx) => {
      const before = await this.dunningLevels(trx);
      const after = await new SettingsRepository(trx).write(DUNNING_LEVELS, { levels }, version, actor);
      await this.events.dunningLevelsChanged(trx, before, after, actor);
      return after;
    });
  }
}
