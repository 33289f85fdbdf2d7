import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import { UpstreamUnavailableError } from '@lessor/http-client';
import type { IntegrationDatabase } from '../database.ts';
import { integrationErrors } from '../integration.errors.ts';
import { InboundRepository, type ConflictRow } from './inbound.repository.ts';
import { PartyRefusal, type PartiesGateway } from './parties.gateway.ts';
import type { ConflictListQuery, ResolveConflict } from './conflict.schemas.ts';

/**
 * The conflicts the inbound sync raised, and their resolution: `keep-lessor` closes one; `take-crm` first
 * changes the party through parties (If-Match, at its current version) and closes it only when parties took
 * the value — refused, the conflict stays open with parties' reason in the answer.
 */
export class ConflictService {
  constructor(
    private readonly db: Kysely<IntegrationDatabase>,
    private readonly parties: PartiesGateway,
  ) {}

  list(query: ConflictListQuery) {
    return new InboundRepository(this.db).list({
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.connectorId ? { connectorId: query.connectorId } : {}),
      ...(query.partyId ? { partyId: query.partyId } : {}),
      ...(query.status ? { status: query.status } : {}),
    });
  }

  async get(id: string): Promise<ConflictRow> {
    const conflict = await new InboundRepository(this.db).find(id);
    if (!conflict) throw kitErrors.create.NOT_FOUND(`No conflict ${id}`);
    return conflict;
  }

  async resolve(id: string, { resolution }: ResolveConflict, actor: string): Promise<ConflictRow> {
    return this.db.transaction().execute(async (trx) => {
      const conflicts = new InboundRepository(trx);
      const conflict = await conflicts.findForUpdate(id);
      if (!conflict) throw kitErrors.create.NOT_FOUND(`No conflict ${id}`);
      if (conflict.status !== 'open') {
        throw integrationErrors.create.INTEGRATION_CONFLICT_RESOLVED(
          `Conflict ${id} was resolved ${conflict.status} by ${conflict.resolvedBy ?? 'someone'}`,
        );
      }
      if (resolution === 'take-crm') await this.#takeCrmValue(conflict);
      return conflicts.resolve(id, resolution, actor);
    });
  }

  async #takeCrmValue(conflict: ConflictRow): Promise<void> {
    try {
      const party = await this.parties.get(conflict.partyId);
      if (!party) {
        throw integrationErrors.create.INTEGRATION_CONFLICT_REFUSED(
          `Party ${conflict.partyId} no longer exists (deleted in Lessor)`,
        );
      }
      await this.parties.update(party.id, party.version, { [conflict.field]: conflict.crmValue });
    } catch (error) {
      if (error instanceof PartyRefusal) {
        throw integrationErrors.create.INTEGRATION_CONFLICT_REFUSED(error.message, {
          errors: [{ field: '/body/resolution', message: `parties refused ${conflict.field}` }],
        });
      }
      if (error instanceof UpstreamUnavailableError) {
        throw integrationErrors.create.INTEGRATION_PARTIES_UNAVAILABLE(
          `parties could not change party ${conflict.partyId} (${error.reason}); the conflict stays open`,
          { headers: { 'retry-after': '5' } },
        );
      }
      throw error;
    }
  }
}
