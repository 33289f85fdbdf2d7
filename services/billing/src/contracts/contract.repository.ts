import type { Kysely, Selectable } from 'kysely';
import type { BillingDatabase, ContractsTable } from '../database.ts';

export type ContractRow = Selectable<ContractsTable>;

/** billing's copy of the contracts it bills, written only from leasing's contract events. */
export class ContractRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  find(id: string): Promise<ContractRow | undefined> {
    return this.db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The contract, locked until the transaction ends. Every write about a contract's money takes this lock
   * first (then invoices, the number counter, payments), so they queue per contract and never deadlock.
   */
  lock(id: string): Promise<ContractRow | undefined> {
    return this.db.selectFrom('contracts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  findByReferences(references: readonly string[]): Promise<ContractRow[]> {
    if (references.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('contracts').selectAll().where('paymentReference', 'in', references).execute();
  }

  async save(contract: Omit<ContractRow, 'updatedAt'>): Promise<ContractRow> {
    const { id: _id, ...changes } = contract;
    return this.db
      .insertInto('contracts')
      .values(contract)
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...changes, updatedAt: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
