import type { Kysely } from 'kysely';
import { kitErrors, type ChangeAction, type EventTransaction, type ServiceEvents } from '@lessor/service-kit';
import type { __Name__Database } from '../database.ts';
import { __entityCamel__Snapshot } from '../__name__.events.ts';
import { tidy__Entity__ } from './__entity__.ts';
import { __Entity__Repository, type __Entity__Row } from './__entity__.repository.ts';
import type { Create__Entity__, __Entity__ListQuery, Update__Entity__ } from './__entity__.schemas.ts';

/**
 * __Entities__: the six use cases every business object has. Each write publishes its change event from its own
 * transaction (through the outbox), so the change and its event commit together or not at all.
 */
export class __Entity__Service {
  constructor(
    private readonly db: Kysely<__Name__Database>,
    private readonly events: ServiceEvents,
  ) {}

  list(query: __Entity__ListQuery) {
    return new __Entity__Repository(this.db).search(query);
  }

  get(id: string, includeDeleted = false): Promise<__Entity__Row> {
    return this.#find(new __Entity__Repository(this.db), id, includeDeleted);
  }

  create(input: Create__Entity__, actor: string): Promise<__Entity__Row> {
    const fields = tidy__Entity__(input);
    return this.db.transaction().execute(async (trx) => {
      const created = await new __Entity__Repository(trx).insert(
        { name: fields.name, description: fields.description ?? null },
        actor,
      );
      await this.#published(trx, 'created', null, created, actor);
      return created;
    });
  }

  update(id: string, version: number, changes: Update__Entity__, actor: string): Promise<__Entity__Row> {
    return this.db.transaction().execute(async (trx) => {
      const repository = new __Entity__Repository(trx);
      const before = await this.#find(repository, id);
      const after = await repository.update(id, version, tidy__Entity__(changes), actor);
      await this.#published(trx, 'updated', before, after, actor);
      return after;
    });
  }

  delete(id: string, version: number, actor: string): Promise<__Entity__Row> {
    return this.db.transaction().execute(async (trx) => {
      const repository = new __Entity__Repository(trx);
      const before = await this.#find(repository, id);
      const after = await repository.softDelete(id, version, actor);
      await this.#published(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  restore(id: string, actor: string): Promise<__Entity__Row> {
    return this.db.transaction().execute(async (trx) => {
      const repository = new __Entity__Repository(trx);
      const before = await this.#find(repository, id, true);
      const after = await repository.restore(id, actor);
      await this.#published(trx, 'restored', before, after, actor);
      return after;
    });
  }

  async #find(repository: __Entity__Repository, id: string, includeDeleted = false): Promise<__Entity__Row> {
    const found = await repository.find(id, { includeDeleted });
    if (!found) throw kitErrors.create.NOT_FOUND(`No __entityWords__ ${id}`);
    return found;
  }

  #published(
    trx: EventTransaction,
    action: ChangeAction,
    before: __Entity__Row | null,
    after: __Entity__Row,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: '__entity__',
      action,
      entityId: after.id,
      before: before && __entityCamel__Snapshot(before),
      after: __entityCamel__Snapshot(after),
      actor,
    });
  }
}
