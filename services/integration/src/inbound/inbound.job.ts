import { Type, type Static } from '@lessor/service-kit';
import { Value } from 'typebox/value';
import type { ConnectorMapping } from '../connectors/mapping.ts';
import type { ODataClient, ODataVersion } from '../odata/index.ts';
import { odataDateLiteral, odataStringLiteral, parseODataDate } from '../odata/index.ts';
import type { RunContext, RunJob, RunRecordInput } from '../runs/run.ts';
import { CrmRecordError, readCrmAccount, valueAt, type CrmAccount, type CrmSnapshot } from './crm-account.ts';
import { InboundRepository, type PartyLinkInput, type PartyLinkRow } from './inbound.repository.ts';
import type { PartiesGateway } from './parties.gateway.ts';
import { PartyRefusal } from './parties.gateway.ts';
import {
  newParty,
  planPartyUpdate,
  type ExternalRef,
  type FieldConflict,
  type PartyView,
} from './reconcile.ts';

type InboundMapping = NonNullable<ConnectorMapping['inbound']>;

export interface InboundJobOptions {
  parties: PartiesGateway;
  /** Records of a page synced at once (each is a few calls to parties). */
  concurrency: number;
  /** Records asked per page (`$top`); the server may answer fewer. */
  pageSize: number;
}

/** Where a run is in the CRM's order (modified time, then key): the page after it comes next. The run's cursor. */
const Position = Type.Object({
  modified: Type.String({ minLength: 1 }),
  key: Type.Union([Type.String(), Type.Null()]),
});
type Position = Static<typeof Position>;

function parsePosition(cursor: string): Position {
  return Value.Parse(Position, JSON.parse(cursor));
}

/** What became of one record, with what the page's transaction writes for it. */
interface RecordResult {
  record: RunRecordInput;
  link?: PartyLinkInput;
  conflicts: FieldConflict[];
}

/** The system name of a connector on parties' external references. */
export function crmSystem(connectorId: string): string {
  return `crm:${connectorId}`;
}

/**
 * The inbound sync of a CRM connector: its accounts become parties (through parties' API). Pages are read in the
 * CRM's order of modified time then key, each asked from the position after the last record written
 * (`modified gt W or (modified eq W and key gt K)`) rather than by the server's next link: a server's skip token
 * is an offset (CAP's is), and a record changed between pages moves to the end and shifts the rest, so an
 * offset would skip one; a position cannot. An incremental run starts after the connector's watermark, a full
 * run at the beginning; each page's outcomes, links and conflicts are written in one transaction with the run's
 * progress, so the watermark and the cursor only ever move past pages written whole.
 */
export function createInboundJob(options: InboundJobOptions): RunJob {
  return async (context) => {
    const mapping = context.connector.mapping.inbound;
    if (!mapping) throw new Error(`connector ${context.connector.name} has no inbound mapping`);
    const version: ODataVersion = context.connector.protocol === 'odata-v2' ? 'v2' : 'v4';
    const system = crmSystem(context.connector.id);
    const start = await startOf(context);
    let position = start.position;
    let watermark = start.watermark;
    let first = start.fresh;

    while (!context.stopping()) {
      const page = await context.client.page(mapping.entitySet, {
        orderby: `${mapping.modifiedField},${mapping.key}`,
        top: options.pageSize,
        ...(position ? { filter: afterPosition(mapping, position, version) } : {}),
        ...(mapping.expand?.length ? { expand: mapping.expand } : {}),
        ...(first ? { count: true } : {}),
      });
      const contacts = await contactsOf(context.client, mapping, page.records);
      const links = await new InboundRepository(context.db).links(
        context.connector.id,
        page.records.map((record) => String(valueAt(record, mapping.key) ?? '')),
      );
      const sync = new RecordSync(options.parties, system, links);
      const results = await inPool(page.records, options.concurrency, (record) =>
        sync.run(record, mapping, contacts),
      );

      const lastRecord = page.records.at(-1);
      if (lastRecord) position = positionOf(lastRecord, mapping);
      for (const result of results) {
        const modified = result.link?.remoteModified.toISOString();
        if (modified && (watermark === null || modified > watermark)) watermark = modified;
      }
      if (position && (watermark === null || position.modified > watermark)) watermark = position.modified;
      const done =
        page.records.length === 0 || (page.records.length < options.pageSize && page.nextLink === null);

      await context.db.transaction().execute(async (trx) => {
        const inbound = new InboundRepository(trx);
        await inbound.saveLinks(
          context.connector.id,
          context.run.id,
          results.flatMap((result) => (result.link ? [result.link] : [])),
        );
        await inbound.raiseConflicts(
          context.connector.id,
          context.run.id,
          results.flatMap((result) =>
            result.conflicts.map((conflict) => ({
              remoteId: result.record.remoteId,
              partyId: result.record.partyId!,
              conflict,
            })),
          ),
        );
        await context.savePage(trx, {
          cursor: done || !position ? null : JSON.stringify(position),
          watermark,
          ...(first ? { total: page.count } : {}),
          records: results.map((result) => result.record),
        });
      });
      if (done) return;
      first = false;
    }
  };
}

/**
 * Where the run starts: after its own cursor when it resumes (a restart); after the cursor of the connector's
 * previous run when that one failed on the same footing (same mode, same watermark: the CRM was down), since
 * its pages up to the cursor are written; else after the watermark (incremental) or at the beginning (full).
 */
async function startOf(
  context: RunContext,
): Promise<{ position: Position | null; watermark: string | null; fresh: boolean }> {
  const { run } = context;
  if (run.cursor !== null) {
    return { position: parsePosition(run.cursor), watermark: run.watermarkTo, fresh: false };
  }
  const previous = await context.db
    .selectFrom('syncRuns')
    .select(['id', 'status', 'mode', 'cursor', 'watermarkFrom', 'watermarkTo'])
    .where('connectorId', '=', run.connectorId)
    .where('id', '!=', run.id)
    .orderBy('queuedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (
    previous?.status === 'failed' &&
    previous.cursor !== null &&
    previous.mode === run.mode &&
    previous.watermarkFrom === run.watermarkFrom
  ) {
    context.log.info({ failedRun: previous.id }, 'resuming after the cursor of the failed run before');
    return {
      position: parsePosition(previous.cursor),
      watermark: previous.watermarkTo ?? run.watermarkFrom,
      fresh: false,
    };
  }
  const position =
    run.mode === 'incremental' && run.watermarkFrom ? { modified: run.watermarkFrom, key: null } : null;
  return { position, watermark: run.watermarkFrom, fresh: true };
}

function positionOf(record: Record<string, unknown>, mapping: InboundMapping): Position {
  const modified = parseODataDate(valueAt(record, mapping.modifiedField)).toISOString();
  return { modified, key: String(valueAt(record, mapping.key)) };
}

/** `$filter` of the records after a position in (modified, key) order. */
function afterPosition(mapping: InboundMapping, position: Position, version: ODataVersion): string {
  const when = odataDateLiteral(new Date(position.modified), version, mapping.modifiedType);
  const later = `${mapping.modifiedField} gt ${when}`;
  if (position.key === null) return later;
  return `${later} or (${mapping.modifiedField} eq ${when} and ${mapping.key} gt ${keyLiteral(position.key, version, mapping)})`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key as a literal: a v4 GUID bare, anything else a quoted string. */
function keyLiteral(key: string, version: ODataVersion, _mapping: InboundMapping): string {
  if (GUID.test(key)) return version === 'v4' ? key : `guid'${key}'`;
  return odataStringLiteral(key);
}

// Ids per contacts query: a filter of 100 GUIDs stays well under the 8 KB a URL may have on most servers.
const CONTACTS_PER_QUERY = 100;

/** The contact people of a page's records, when they live in an entity set of their own (Dynamics `contacts`). */
async function contactsOf(
  client: ODataClient,
  mapping: InboundMapping,
  records: Record<string, unknown>[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const byParent = new Map<string, Record<string, unknown>[]>();
  const shape = mapping.contacts;
  if (!shape?.entitySet || !shape.parentField || records.length === 0) return byParent;
  const ids = records.map((record) => String(valueAt(record, mapping.key) ?? '')).filter(Boolean);
  const literal = (id: string) => keyLiteral(id, client.version, mapping);
  for (let start = 0; start < ids.length; start += CONTACTS_PER_QUERY) {
    const chunk = ids.slice(start, start + CONTACTS_PER_QUERY);
    const filter = chunk.map((id) => `${shape.parentField} eq ${literal(id)}`).join(' or ');
    for await (const page of client.pages(shape.entitySet, {
      filter,
      ...(shape.key ? { orderby: shape.key } : {}),
    })) {
      for (const contact of page.records) {
        const parent = String(valueAt(contact, shape.parentField) ?? '');
        const list = byParent.get(parent) ?? [];
        list.push(contact);
        byParent.set(parent, list);
      }
    }
  }
  return byParent;
}

/** Runs `work` over the items with at most `limit` at once, keeping their order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One CRM record against parties: matched by its link (or the party holding its reference), then by tax id, else
 * created; then the rule between the CRM and Lessor (`planPartyUpdate`). parties refusing the record is the
 * record's `error` (the run goes on); parties down fails the run (it resumes from its cursor).
 */
class RecordSync {
  constructor(
    private readonly parties: PartiesGateway,
    private readonly system: string,
    private readonly links: Map<string, PartyLinkRow>,
  ) {}

  async run(
    record: Record<string, unknown>,
    mapping: InboundMapping,
    contacts: Map<string, Record<string, unknown>[]>,
  ): Promise<RecordResult> {
    let account: CrmAccount;
    const remoteKey = String(valueAt(record, mapping.key) ?? '');
    try {
      account = readCrmAccount(record, mapping, contacts.get(remoteKey) ?? []);
    } catch (error) {
      if (!(error instanceof CrmRecordError)) throw error;
      return {
        record: { remoteId: remoteKey || '(none)', outcome: 'error', reason: error.message },
        conflicts: [],
      };
    }
    try {
      return await this.#sync(account);
    } catch (error) {
      if (!(error instanceof PartyRefusal)) throw error;
      return {
        record: { remoteId: account.remoteId, outcome: 'error', reason: error.message },
        conflicts: [],
      };
    }
  }

  async #sync(account: CrmAccount): Promise<RecordResult> {
    const { remoteId, snapshot } = account;
    const ref: ExternalRef = { system: this.system, id: remoteId };
    const link = this.links.get(remoteId);
    const last = link ? (link.remoteSnapshot as unknown as CrmSnapshot) : null;
    const linkOf = (partyId: string): PartyLinkInput => ({
      remoteId,
      partyId,
      snapshot,
      remoteModified: account.modifiedAt,
    });
    // Nothing changed in the CRM since the last sync: nothing to bring, nothing to raise.
    if (link && last && JSON.stringify(last) === JSON.stringify(snapshot)) {
      return {
        record: { remoteId, outcome: 'unchanged', partyId: link.partyId, reason: null },
        link: linkOf(link.partyId),
        conflicts: [],
      };
    }

    let party = link ? await this.parties.get(link.partyId) : null;
    let matchedBy: 'link' | 'reference' | 'tax id' | null = party ? 'link' : null;
    if (!party) {
      const missing = (['name', 'country'] as const).filter((field) => snapshot[field] === null);
      if (missing.length > 0) {
        // Not enough to create a party; one may still hold the reference or the tax id.
        party = await this.parties.findByRef(ref);
        if (party) matchedBy = 'reference';
        else if (snapshot.taxId && snapshot.country) {
          party = await this.parties.findByTaxId(snapshot.taxId, snapshot.country);
          if (party) matchedBy = 'tax id';
        }
        if (!party) {
          return {
            record: { remoteId, outcome: 'error', reason: `the CRM record has no ${missing.join(' and ')}` },
            conflicts: [],
          };
        }
      }
    }
    if (!party) {
      // One call in the common case: parties refuses a reference or a tax id another party holds (409, naming
      // it), which is how a record already in Lessor is found — by its reference first, then by its tax id. No
      // Idempotency-Key is needed (it costs parties a lookup, a lock and a row per call): a create whose answer
      // was lost is found again by its reference, which only one live party can hold.
      try {
        const created = await this.parties.create(newParty(snapshot, ref));
        return {
          record: { remoteId, outcome: 'created', partyId: created.id, reason: null },
          link: linkOf(created.id),
          conflicts: [],
        };
      } catch (error) {
        if (!(error instanceof PartyRefusal && error.status === 409 && error.partyId)) throw error;
        party = await this.parties.findByRef(ref);
        if (party) matchedBy = 'reference';
        else {
          party = await this.parties.get(error.partyId);
          if (!party) throw error;
          matchedBy = 'tax id';
        }
      }
    }

    const { party: after, conflicts, changed } = await this.#apply(party, snapshot, last, ref);
    const outcome =
      conflicts.length > 0
        ? 'conflict'
        : matchedBy === 'tax id'
          ? 'duplicate'
          : changed
            ? 'updated'
            : 'unchanged';
    const reasons: string[] = [];
    if (matchedBy === 'tax id')
      reasons.push(`matched party ${after.id} by tax id ${after.taxId ?? ''}`.trim());
    if (conflicts.length > 0) {
      reasons.push(
        `Lessor keeps ${conflicts.map((conflict) => conflict.field).join(', ')} (the CRM differs)`,
      );
    }
    if (link && matchedBy !== 'link') reasons.push(`the linked party ${link.partyId} is gone`);
    return {
      record: {
        remoteId,
        outcome,
        partyId: after.id,
        reason: reasons.length > 0 ? reasons.join('; ') : null,
      },
      link: linkOf(after.id),
      conflicts,
    };
  }

  /** Brings the CRM's contact data to the party (If-Match; once more on a concurrent change) and finds the conflicts. */
  async #apply(
    party: PartyView,
    snapshot: CrmSnapshot,
    last: CrmSnapshot | null,
    ref: ExternalRef,
  ): Promise<{ party: PartyView; conflicts: FieldConflict[]; changed: boolean }> {
    let current = party;
    for (let attempt = 1; ; attempt++) {
      const plan = planPartyUpdate(current, snapshot, last, ref);
      if (Object.keys(plan.changes).length === 0) {
        return { party: current, conflicts: plan.conflicts, changed: false };
      }
      try {
        const after = await this.parties.update(current.id, current.version, plan.changes);
        return { party: after, conflicts: plan.conflicts, changed: true };
      } catch (error) {
        if (!(error instanceof PartyRefusal && error.status === 412 && attempt < 3)) throw error;
        const fresh = await this.parties.get(current.id);
        if (!fresh) throw error;
        current = fresh;
      }
    }
  }
}
