import type { Kysely } from 'kysely';
import { isPostgresError, kitErrors } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { Ledger } from '../posting/ledger.ts';
import { refusalProblem } from '../posting/refusal-problem.ts';
import { reversedLines, type EntryDraft } from './entry.ts';
import { EntryRepository, type PostedEntry } from './entry.repository.ts';
import type { EntryListQuery, ManualEntry, ReverseRequest } from './entry.schemas.ts';

/** Manual entries, reversals, and reading the journal. Entries never change; a reversal corrects one. */
export class EntryService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly ledger: Ledger,
    private readonly defaults: { legalEntity: string },
  ) {}

  async list(query: EntryListQuery) {
    const entries = new EntryRepository(this.db);
    const page = await entries.search(query.legalEntity ?? this.defaults.legalEntity, query);
    return {
      items: await this.#withReversals(await entries.withLines(page.items)),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Every entry the list's filters match, with its lines, page after page (for the CSV export): `limit` and
   * `cursor` page the JSON list only.
   */
  allMatching(query: EntryListQuery): { legalEntity: string; pages: AsyncIterable<PostedEntry[]> } {
    const legalEntity = query.legalEntity ?? this.defaults.legalEntity;
    return { legalEntity, pages: new EntryRepository(this.db).allMatching(legalEntity, query) };
  }

  async get(id: string): Promise<PostedEntry & { reversedBy: string | null }> {
    const entries = new EntryRepository(this.db);
    const entry = await entries.find(id);
    if (!entry) throw kitErrors.create.NOT_FOUND(`No entry ${id}`);
    const [withLines] = await this.#withReversals(await entries.withLines([entry]));
    return withLines!;
  }

  /**
   * A manual entry, dated today's business date unless another (earlier) date is given. Lines name accounts by
   * code, in the legal entity's functional currency unless another is given.
   */
  async post(input: ManualEntry, actor: string): Promise<PostedEntry> {
    const legalEntity = input.legalEntity ?? this.defaults.legalEntity;
    return this.#post(
      async (trx) => {
        const functional = await trx
          .selectFrom('legalEntities')
          .select('functionalCurrency')
          .where('code', '=', legalEntity)
          .executeTakeFirst();
        return {
          legalEntity,
          entryDate: input.date ?? (await this.ledger.businessDate(trx, legalEntity, true)),
          kind: 'manual',
          description: input.description,
          lines: input.lines.map((line) => ({
            accountCode: line.accountCode,
            currency: line.currency ?? functional?.functionalCurrency ?? '',
            side: line.side,
            amount: line.amount,
            counterpartyId: line.counterpartyId ?? null,
            contractId: line.contractId ?? null,
          })),
        };
      },
      actor,
      { lines: '/body/lines', date: '/body/date', legalEntity: '/body/legalEntity' },
    );
  }

  /** The correction of an entry: the same lines on the other sides, dated the business date unless told. */
  async reverse(id: string, request: ReverseRequest, actor: string): Promise<PostedEntry> {
    return this.#post(
      async (trx) => {
        const entries = new EntryRepository(trx);
        const original = await entries.find(id);
        if (!original) throw kitErrors.create.NOT_FOUND(`No entry ${id}`);
        const reversal = await entries.reversalOf(id);
        if (reversal) {
          throw financeErrors.create.ENTRY_ALREADY_REVERSED(
            `Entry ${id} was reversed by entry ${reversal.id}`,
            {
              extensions: { reversalId: reversal.id },
            },
          );
        }
        const lines = await entries.lines([id]);
        return {
          legalEntity: original.legalEntity,
          entryDate: request.date ?? (await this.ledger.businessDate(trx, original.legalEntity, true)),
          kind: 'reversal',
          description: request.description ?? `Reversal of: ${original.description}`,
          reversesEntryId: original.id,
          lines: reversedLines(
            lines.map((line) => ({
              accountCode: line.accountCode,
              currency: line.currency,
              side: line.side,
              amount: line.amount,
              counterpartyId: line.counterpartyId,
              contractId: line.contractId,
            })),
          ),
        };
      },
      actor,
      { lines: '/lines', date: '/body/date', legalEntity: '/legalEntity' },
    );
  }

  async #post(
    draftOf: (trx: Kysely<FinanceDatabase>) => Promise<EntryDraft>,
    actor: string,
    pointers: { lines: string; date: string; legalEntity: string },
  ): Promise<PostedEntry> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const draft = await draftOf(trx);
        return this.ledger.post(trx, draft, actor, { fresh: true });
      });
    } catch (error) {
      if (isPostgresError(error, '23505')) {
        throw financeErrors.create.ENTRY_ALREADY_REVERSED('The entry was reversed meanwhile');
      }
      throw refusalProblem(error, pointers) ?? error;
    }
  }

  async #withReversals(entries: PostedEntry[]): Promise<(PostedEntry & { reversedBy: string | null })[]> {
    if (entries.length === 0) return [];
    const reversals = await this.db
      .selectFrom('journalEntries')
      .select(['id', 'reversesEntryId'])
      .where(
        'reversesEntryId',
        'in',
        entries.map((posted) => posted.entry.id),
      )
      .execute();
    const by = new Map(reversals.map((row) => [row.reversesEntryId, row.id]));
    return entries.map((posted) => ({ ...posted, reversedBy: by.get(posted.entry.id) ?? null }));
  }
}
