import type { Kysely } from 'kysely';
import { isPostgresError, newId } from '@lessor/service-kit';
import { AccountRepository, type AccountRow } from '../accounts/account.repository.ts';
import type { FinanceDatabase } from '../database.ts';
import {
  balanceIssues,
  periodOf,
  PostingRefusal,
  type EntryDraft,
  type LineIssue,
} from '../entries/entry.ts';
import {
  EntryRepository,
  type EntryRow,
  type LineRow,
  type PostedEntry,
} from '../entries/entry.repository.ts';
import type { FinanceEvents } from '../finance.events.ts';
import { compileRule, type CompiledRule } from '../posting-rules/posting-rule.ts';
import { PostingRuleRepository, ruleOf } from '../posting-rules/posting-rule.repository.ts';

export interface LedgerOptions {
  /** How long what was read of the books is reused by postings (0: read it for each one). */
  cacheMs: number;
  /** Today's system date (UTC); a function so tests can move it. */
  today: () => string;
}

export interface EntityBooks {
  code: string;
  functionalCurrency: string;
  /** The business date set by hand; null while it follows the system date. */
  businessDate: string | null;
}

/** What postings read of the books, loaded at once and reused for `cacheMs`. */
interface Snapshot {
  loadedAt: number;
  entities: Map<string, EntityBooks>;
  closedPeriods: Set<string>;
  accounts: Map<string, AccountRow>;
  accountsByCode: Map<string, AccountRow[]>;
  rules: Map<string, CompiledRule[]>;
}

/** An entry that passed the checks, its accounts resolved: what `write` turns into a posted entry. */
export interface CheckedEntry {
  /** All but what the database gives it when written (`seq`, `createdAt`). */
  entry: Omit<EntryRow, 'seq' | 'createdAt'>;
  lines: LineRow[];
}

/** SQLSTATEs of finance's own database guards (migrations/0001_ledger.ts). */
export const LEDGER_SQLSTATE = {
  immutable: 'LF001',
  periodClosed: 'LF002',
  unbalanced: 'LF003',
  accountRefused: 'LF004',
  lineWithoutEntry: 'LF005',
  unknownLegalEntity: 'LF006',
} as const;

/**
 * The one way into the journal. A posting is checked — the legal entity keeps books, the date is not after
 * its business date, the period is open, every currency balances, every account exists and takes postings
 * (a code the chart has in another currency is opened in this one) — then written with its lines in one
 * statement and announced (`finance.entry.posted`) in the same transaction. `check` and `write` do the same for
 * many entries at once: each checked in turn, then all written in one statement and announced in one more.
 * The checks read a snapshot of the books reused for `cacheMs`; the database's guards refuse what a stale
 * snapshot would let through (a period closed or an account disabled by another replica meanwhile).
 */
export class Ledger {
  #snapshot: Snapshot | undefined;
  /** Reads of the books in progress. */
  #loading = 0;

  constructor(
    private readonly events: FinanceEvents,
    private readonly options: LedgerOptions,
  ) {}

  /** Forget the snapshot: the next posting reads the books again (after any change to them). */
  invalidate(): void {
    this.#snapshot = undefined;
  }

  /** Today's system date (UTC): the business date of a legal entity that has none set. */
  systemDate(): string {
    return this.options.today();
  }

  /** The legal entity's business date: the one set by hand, else today's system date. */
  async businessDate(trx: Kysely<FinanceDatabase>, legalEntity: string, fresh = false): Promise<string> {
    const books = (await this.#load(trx, fresh)).entities.get(legalEntity);
    if (!books)
      throw new PostingRefusal('LEGAL_ENTITY_NOT_FOUND', `finance keeps no books for ${legalEntity}`);
    return books.businessDate ?? this.options.today();
  }

  async entities(trx: Kysely<FinanceDatabase>, fresh = false): Promise<EntityBooks[]> {
    return [...(await this.#load(trx, fresh)).entities.values()];
  }

  /** The live rules of an event type, compiled. */
  async rules(trx: Kysely<FinanceDatabase>, eventType: string, fresh = false): Promise<CompiledRule[]> {
    return (await this.#load(trx, fresh)).rules.get(eventType) ?? [];
  }

  /** Checks and writes an entry in `trx`; throws `PostingRefusal` (before writing anything) when it cannot. */
  async post(
    trx: Kysely<FinanceDatabase>,
    draft: EntryDraft,
    actor: string,
    options: { fresh?: boolean } = {},
  ): Promise<PostedEntry> {
    const checked = await this.check(trx, draft, actor, options);
    return (await this.write(trx, [checked]))[0]!;
  }

  /**
   * The checks of `post`, and the accounts opened that a line needs (a code the chart has in another currency):
   * the entry as it will be written. Throws `PostingRefusal` (before writing anything) when it cannot be.
   */
  async check(
    trx: Kysely<FinanceDatabase>,
    draft: EntryDraft,
    actor: string,
    options: { fresh?: boolean } = {},
  ): Promise<CheckedEntry> {
    const snapshot = await this.#load(trx, options.fresh ?? false);
    const books = snapshot.entities.get(draft.legalEntity);
    if (!books) {
      throw new PostingRefusal('LEGAL_ENTITY_NOT_FOUND', `finance keeps no books for ${draft.legalEntity}`);
    }
    const businessDate = books.businessDate ?? this.options.today();
    if (draft.entryDate > businessDate) {
      throw new PostingRefusal(
        'ENTRY_DATE_IN_FUTURE',
        `${draft.entryDate} is after the business date ${businessDate} of ${draft.legalEntity}`,
      );
    }
    const period = periodOf(draft.entryDate);
    if (snapshot.closedPeriods.has(`${draft.legalEntity}/${period}`)) {
      throw new PostingRefusal('PERIOD_CLOSED', `period ${period} of ${draft.legalEntity} is closed`);
    }
    const unbalanced = balanceIssues(draft.lines);
    if (unbalanced.length > 0) {
      throw new PostingRefusal('ENTRY_UNBALANCED', unbalanced[0]!.message, unbalanced);
    }

    // Resolve every line's account first, so a refusal writes nothing.
    const missing: LineIssue[] = [];
    const disabled: LineIssue[] = [];
    const toOpen = new Map<string, AccountRow>();
    const resolved = draft.lines.map((line, index) => {
      const key = `${draft.legalEntity}/${line.accountCode}/${line.currency}`;
      const account = snapshot.accounts.get(key);
      if (account) {
        if (account.disabled || account.deletedAt !== null) {
          disabled.push({
            line: index,
            message: `account ${line.accountCode} (${line.currency}) is disabled`,
          });
        }
        return account;
      }
      const others = snapshot.accountsByCode.get(`${draft.legalEntity}/${line.accountCode}`) ?? [];
      const template = others.find((other) => !other.disabled && other.deletedAt === null);
      if (template) toOpen.set(key, template);
      else if (others.length > 0) {
        disabled.push({ line: index, message: `account ${line.accountCode} is disabled` });
      } else {
        missing.push({ line: index, message: `account ${line.accountCode} is not in the chart` });
      }
      return undefined;
    });
    if (missing.length > 0) {
      throw new PostingRefusal(
        'ACCOUNT_NOT_FOUND',
        `${missing.map((issue) => issue.message).join('; ')} of ${draft.legalEntity}`,
        missing,
      );
    }
    if (disabled.length > 0) {
      throw new PostingRefusal(
        'ACCOUNT_DISABLED',
        disabled.map((issue) => issue.message).join('; '),
        disabled,
      );
    }

    try {
      const accounts = new AccountRepository(trx);
      const opened = new Map<string, AccountRow>();
      for (const [key, template] of toOpen) {
        const [, , currency] = key.split('/');
        const { account, created } = await accounts.open(
          {
            legalEntity: draft.legalEntity,
            code: template.code,
            currency: currency!,
            name: template.name,
            type: template.type,
          },
          'system',
        );
        opened.set(key, account);
        if (created) await this.events.accountChanged(trx, 'created', null, account, 'system');
      }
      // A rolled-back transaction must not leave an opened account in the snapshot: read it again next time.
      if (opened.size > 0) this.invalidate();

      const entryId = newId();
      const lines: LineRow[] = draft.lines.map((line, index) => {
        const account =
          resolved[index] ?? opened.get(`${draft.legalEntity}/${line.accountCode}/${line.currency}`)!;
        return {
          entryId,
          lineNo: index + 1,
          accountId: account.id,
          currency: line.currency,
          entryDate: draft.entryDate,
          side: line.side,
          amount: line.amount,
          counterpartyId: line.counterpartyId,
          contractId: line.contractId,
          accountCode: account.code,
          accountName: account.name,
        };
      });
      const entry = {
        id: entryId,
        legalEntity: draft.legalEntity,
        entryDate: draft.entryDate,
        kind: draft.kind,
        description: draft.description,
        sourceEventId: draft.sourceEventId ?? null,
        sourceEventType: draft.sourceEventType ?? null,
        sourceKey: draft.sourceKey ?? null,
        postingRuleId: draft.postingRuleId ?? null,
        reversesEntryId: draft.reversesEntryId ?? null,
        createdBy: actor,
      };
      return { entry, lines };
    } catch (error) {
      if (isPostgresError(error, LEDGER_SQLSTATE.periodClosed, LEDGER_SQLSTATE.accountRefused))
        this.invalidate();
      throw error;
    }
  }

  /**
   * Writes checked entries (`check`, in the same transaction) in the order given: all of them with their lines
   * in one statement, and their `finance.entry.posted` events (actor: who created the entry) in one more.
   */
  async write(trx: Kysely<FinanceDatabase>, checked: readonly CheckedEntry[]): Promise<PostedEntry[]> {
    if (checked.length === 0) return [];
    try {
      const entries = await new EntryRepository(trx).insertPostings(checked);
      const posted = checked.map(({ lines }, index) => ({ entry: entries[index]!, lines }));
      await this.events.entriesPosted(trx, posted);
      return posted;
    } catch (error) {
      // The database's guards saw what the snapshot did not: read the books again before the next posting.
      if (isPostgresError(error, LEDGER_SQLSTATE.periodClosed, LEDGER_SQLSTATE.accountRefused))
        this.invalidate();
      throw error;
    }
  }

  async #load(trx: Kysely<FinanceDatabase>, fresh: boolean): Promise<Snapshot> {
    const current = this.#snapshot;
    if (!fresh && current && this.options.cacheMs > 0) {
      if (Date.now() - current.loadedAt < this.options.cacheMs) return current;
      // Expired while another posting reads the books again: this one goes on with them a moment longer rather
      // than read them too (8 batches at once would); the database's guards refuse what that lets through.
      if (this.#loading > 0) return current;
    }
    this.#loading += 1;
    try {
      return await this.#read(trx);
    } finally {
      this.#loading -= 1;
    }
  }

  async #read(trx: Kysely<FinanceDatabase>): Promise<Snapshot> {
    const loadedAt = Date.now();
    // In the caller's transaction: the snapshot is read as of that transaction.
    const [entities, periods, accounts, rules] = await Promise.all([
      trx.selectFrom('legalEntities').select(['code', 'functionalCurrency', 'businessDate']).execute(),
      trx
        .selectFrom('accountingPeriods')
        .select(['legalEntity', 'period'])
        .where('status', '=', 'closed')
        .execute(),
      new AccountRepository(trx).all(),
      new PostingRuleRepository(trx).live(),
    ]);
    const snapshot: Snapshot = {
      loadedAt,
      entities: new Map(entities.map((row) => [row.code, row])),
      closedPeriods: new Set(periods.map((row) => `${row.legalEntity}/${row.period}`)),
      accounts: new Map(accounts.map((row) => [`${row.legalEntity}/${row.code}/${row.currency}`, row])),
      accountsByCode: new Map(),
      rules: new Map(),
    };
    for (const account of accounts) {
      const key = `${account.legalEntity}/${account.code}`;
      snapshot.accountsByCode.set(key, [...(snapshot.accountsByCode.get(key) ?? []), account]);
    }
    for (const row of rules) {
      const rule = compileRule(ruleOf(row));
      snapshot.rules.set(rule.eventType, [...(snapshot.rules.get(rule.eventType) ?? []), rule]);
    }
    if (!this.#snapshot || this.#snapshot.loadedAt <= loadedAt) this.#snapshot = snapshot;
    return snapshot;
  }
}
