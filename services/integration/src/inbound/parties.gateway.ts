import { UpstreamResponseError, type ServiceClient } from '@lessor/http-client';
import type { ExternalRef, PartyView } from './reconcile.ts';

/** A sync is a background job, not a user's request: a call to parties may take longer than the 300 ms budget. */
const SYNC_CALL_DEADLINE_MS = 10_000;

/** What parties refused, in its words (`PARTY_INVALID: … (/body/taxId: fails the check digits…)`). */
export class PartyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly partyId: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'PartyRefusal';
  }
}

interface Problem {
  code?: string;
  detail?: string;
  title?: string;
  partyId?: string;
  errors?: { field: string; message: string }[];
}

/**
 * integration's calls to parties (its API, `parties:parties:read|write`): integration never writes another
 * service's tables. A 4xx becomes a `PartyRefusal` with parties' reason; parties down stays an
 * `UpstreamUnavailableError` (the run fails and resumes, no record is marked refused for it).
 */
export class PartiesGateway {
  constructor(private readonly parties: ServiceClient) {}

  /** The live party, or null when it was deleted (or never was). */
  async get(id: string): Promise<PartyView | null> {
    try {
      return await this.parties.get<PartyView>(`/v1/parties/${encodeURIComponent(id)}`, {
        deadlineMs: SYNC_CALL_DEADLINE_MS,
      });
    } catch (error) {
      if (error instanceof UpstreamResponseError && error.status === 404) return null;
      throw refusalOf(error);
    }
  }

  /** The live party holding the reference, if any. */
  findByRef(ref: ExternalRef): Promise<PartyView | null> {
    return this.#first({ externalRef: `${ref.system}/${ref.id}` });
  }

  /** The live party holding the tax id in the country (normalised by parties), if any. */
  findByTaxId(taxId: string, country: string): Promise<PartyView | null> {
    return this.#first({ taxId, country });
  }

  /** Creates the party (never retried: a create whose answer was lost is found by its reference). */
  async create(body: Record<string, unknown>): Promise<PartyView> {
    try {
      const answer = await this.parties.request<PartyView>({
        method: 'POST',
        path: '/v1/parties',
        body,
        deadlineMs: SYNC_CALL_DEADLINE_MS,
      });
      return answer.body;
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** Changes the party at `version` (If-Match): a `PartyRefusal` with status 412 when it changed meanwhile. */
  async update(id: string, version: number, changes: Record<string, unknown>): Promise<PartyView> {
    try {
      const answer = await this.parties.request<PartyView>({
        method: 'PATCH',
        path: `/v1/parties/${encodeURIComponent(id)}`,
        body: changes,
        headers: { 'if-match': `"${version}"` },
        deadlineMs: SYNC_CALL_DEADLINE_MS,
      });
      return answer.body;
    } catch (error) {
      throw refusalOf(error);
    }
  }

  async #first(query: Record<string, string>): Promise<PartyView | null> {
    try {
      const page = await this.parties.get<{ items: PartyView[] }>('/v1/parties', {
        query: { ...query, limit: 1 },
        deadlineMs: SYNC_CALL_DEADLINE_MS,
      });
      return page.items[0] ?? null;
    } catch (error) {
      throw refusalOf(error);
    }
  }
}

function refusalOf(error: unknown): unknown {
  if (!(error instanceof UpstreamResponseError)) return error;
  const problem = (
    typeof error.problem === 'object' && error.problem !== null ? error.problem : {}
  ) as Problem;
  const fields = (problem.errors ?? []).map((item) => `${item.field}: ${item.message}`).join('; ');
  const what = problem.detail ?? problem.title ?? error.message;
  const message = `parties refused (${error.status}${problem.code ? ` ${problem.code}` : ''}): ${what}${fields ? ` (${fields})` : ''}`;
  return new PartyRefusal(error.status, problem.code ?? null, problem.partyId ?? null, message);
}
