import { sql, type Kysely } from 'kysely';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { RoleRepository } from '../roles/role.repository.ts';

const SYSTEM_ACTOR = 'system';
/** The bootstrap step's name; a later release that ships more starter roles adds a step of its own. */
export const STARTER_ROLES_STEP = 'starter-roles-1';

export interface StarterRole {
  name: string;
  description: string;
  permissions: readonly string[];
}

/**
 * The roles a leasing company recognises, so four eyes works on the first day without building roles from raw
 * permissions. Documented, one row each, in the README's table (a test keeps the two equal). Ordinary roles:
 * an administrator may change or delete them; only `admin` (made by the first start, `*:*:*`) is built in.
 */
export const STARTER_ROLES: readonly StarterRole[] = [
  {
    name: 'sales',
    description:
      'Sales: customers and assets, quotes, draft contracts and the lessee’s signature. Cannot approve.',
    permissions: [
      'parties:parties:read',
      'parties:parties:write',
      'assets:assets:read',
      'assets:assets:write',
      'assets:suppliers:read',
      'assets:insurance:read',
      'leasing:products:read',
      'leasing:calculations:read',
      'leasing:calculations:write',
      'leasing:contracts:read',
      'leasing:contracts:write',
      'leasing:contracts:sign',
      'billing:invoices:read',
      'gateway:contract-cards:read',
    ],
  },
  {
    name: 'risk',
    description:
      'Credit and risk: KYC decisions, product limits, approves or rejects drafts (the second pair of eyes), ' +
      'activates, restructures, declares default, terminates and closes contracts. Makes no drafts.',
    permissions: [
      'parties:parties:read',
      'parties:kyc:write',
      'assets:assets:read',
      'assets:suppliers:read',
      'assets:insurance:read',
      'leasing:products:read',
      'leasing:products:write',
      'leasing:calculations:read',
      'leasing:contracts:read',
      'leasing:contracts:approve',
      'leasing:contracts:activate',
      'leasing:contracts:restructure',
      'leasing:contracts:default',
      'leasing:contracts:terminate',
      'leasing:contracts:close',
      'billing:invoices:read',
      'billing:payments:read',
      'finance:reports:read',
      'gateway:contract-cards:read',
    ],
  },
  {
    name: 'accountant',
    description:
      'Accounting: the books (accounts, journal, posting rules, review list, period close, FX rates, income ' +
      'recognition) and billing (runs, payments, bank imports, credit notes, dunning settings). Reopening a ' +
      'closed period is left to an administrator.',
    permissions: [
      'finance:accounts:read',
      'finance:accounts:write',
      'finance:entries:read',
      'finance:entries:write',
      'finance:posting-rules:read',
      'finance:posting-rules:write',
      'finance:review:read',
      'finance:review:write',
      'finance:periods:read',
      'finance:periods:close',
      'finance:settings:read',
      'finance:settings:write',
      'finance:reports:read',
      'finance:income:write',
      'billing:invoices:read',
      'billing:runs:write',
      'billing:payments:read',
      'billing:payments:write',
      'billing:settings:read',
      'billing:settings:write',
      'billing:credit-notes:write',
      'leasing:contracts:read',
      'parties:parties:read',
      'gateway:contract-cards:read',
    ],
  },
  {
    name: 'collections',
    description:
      'Collections: overdue invoices, payments and their matching, bank imports, penalty runs, receivables. ' +
      'Escalates a default to risk.',
    permissions: [
      'billing:invoices:read',
      'billing:payments:read',
      'billing:payments:write',
      'billing:runs:write',
      'billing:settings:read',
      'finance:reports:read',
      'leasing:contracts:read',
      'parties:parties:read',
      'gateway:contract-cards:read',
    ],
  },
  {
    name: 'auditor',
    description: 'Internal or external audit: reads everything, audit trail included; changes nothing.',
    permissions: ['*:*:read'],
  },
];

/**
 * Creates the starter roles once per database (a bootstrap step, so a fresh install and an existing one
 * upgrading both get them, and a role an administrator later deleted is not brought back). A role whose
 * name an installation already uses is left as it is. Each creation is published like any role change.
 */
export async function ensureStarterRoles(db: Kysely<SsoDatabase>, events: SsoEvents): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    // Claiming the step first: a second replica starting at the same moment waits here, then does nothing.
    const claimed = await trx
      .insertInto('bootstrapSteps')
      .values({ name: STARTER_ROLES_STEP, doneAt: sql<Date>`now()` })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!claimed) return [];
    const roles = new RoleRepository(trx);
    const created: string[] = [];
    for (const starter of STARTER_ROLES) {
      if (await roles.findByName(starter.name)) continue;
      const role = await roles.insert(
        {
          name: starter.name,
          description: starter.description,
          permissions: [...starter.permissions].sort(),
        },
        SYSTEM_ACTOR,
      );
      await events.roleChanged(trx, 'created', null, role, SYSTEM_ACTOR);
      created.push(role.name);
    }
    return created;
  });
}
