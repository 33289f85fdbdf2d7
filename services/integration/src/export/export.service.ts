import type { financeEvents } from '@lessor/event-catalog';
import { formatAmountUnrounded, sum } from '@lessor/domain-values';
import { kitErrors, type ConsumedEvent } from '@lessor/service-kit';
import type { Kysely } from 'kysely';
import type { IntegrationDatabase } from '../database.ts';
import { integrationErrors } from '../integration.errors.ts';
import type { ExportEntry, ExportLine } from './export.ts';
import { journalCsv } from './journal-csv.ts';
import type {
  ExportEntryRow,
  ExportRepository,
  ExportSearch,
  PeriodCounts,
  PeriodTotals,
} from './export.repository.ts';
import type { Reconciliation } from './export.schemas.ts';

export type EntryPosted = ConsumedEvent<typeof financeEvents.entryPosted>;

/** The export's use cases: keep what finance posts, list it, reconcile it, write it as CSV, retry a refusal. */
export class ExportService {
  constructor(
    private readonly entries: ExportRepository,
    private readonly csvPageSize = 500,
  ) {}

  /**
   * Keeps a posted entry as pending, in the consumer's transaction: the inbox makes the event's effect once, and
   * the entry id as key makes the entry once even if finance's event came twice under two event ids.
   */
  async record(trx: Kysely<IntegrationDatabase>, event: EntryPosted): Promise<boolean> {
    const { data } = event;
    const entry: ExportEntry = {
      entryId: data.entryId,
      legalEntity: data.legalEntity,
      entryDate: data.entryDate,
      kind: data.kind,
      description: data.description,
      sourceEventType: data.sourceEventType,
      reversesEntryId: data.reversesEntryId,
    };
    const lines: ExportLine[] = data.lines.map((line, index) => ({
      entryId: data.entryId,
      lineNo: index + 1,
      accountCode: line.accountCode,
      accountName: line.accountName,
      side: line.side,
      amount: line.amount,
      currency: line.currency,
      counterpartyId: line.counterpartyId,
      contractId: line.contractId,
    }));
    return this.entries.insert(trx, { ...entry, eventId: event.id, postedAt: new Date(event.time) }, lines);
  }

  async list(query: ExportSearch) {
    const page = await this.entries.search(query);
    const lines = await this.entries.linesOf(page.items.map((entry) => entry.entryId));
    return {
      items: page.items.map((entry) => ({ entry, lines: lines.get(entry.entryId) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }

  async get(entryId: string) {
    const entry = await this.entries.find(entryId);
    if (!entry) throw kitErrors.create.NOT_FOUND(`No exported entry ${entryId}`);
    const lines = await this.entries.linesOf([entryId]);
    return { entry, lines: lines.get(entryId) ?? [] };
  }

  /** A refused entry goes back to pending, sent at the next tick (after it was corrected at the other end). */
  async retry(entryId: string): Promise<{ entry: ExportEntryRow; lines: ExportLine[] }> {
    const retried = await this.entries.retry(entryId);
    if (!retried) {
      const found = await this.entries.find(entryId);
      if (!found) throw kitErrors.create.NOT_FOUND(`No exported entry ${entryId}`);
      throw integrationErrors.create.INTEGRATION_EXPORT_NOT_REFUSED(
        `Entry ${entryId} is ${found.status}; only a refused entry is sent again by hand`,
      );
    }
    const lines = await this.entries.linesOf([entryId]);
    return { entry: retried, lines: lines.get(entryId) ?? [] };
  }

  /**
   * Per month of the entries' dates in [from, to], and over all of them: how many were posted, sent, acknowledged,
   * refused (with the reasons) and are pending, and the debits and credits per currency posted and exported.
   */
  async reconciliation(from: string, to: string, legalEntity?: string): Promise<Reconciliation> {
    refuseBackwards(from, to);
    const [counts, totals, refusals] = await Promise.all([
      this.entries.periodCounts(from, to, legalEntity),
      this.entries.periodTotals(from, to, legalEntity),
      this.entries.refusals(from, to, legalEntity),
    ]);
    const count = (key: keyof Omit<PeriodCounts, 'period'>) =>
      counts.reduce((total, period) => total + period[key], 0);
    const currencies = [...new Set(totals.map((total) => total.currency))].sort();
    return {
      from,
      to,
      legalEntity: legalEntity ?? null,
      posted: count('posted'),
      sent: count('sent'),
      acknowledged: count('acknowledged'),
      refused: count('refused'),
      pending: count('pending'),
      totals: currencies.map((currency) =>
        currencyTotals(
          totals.filter((total) => total.currency === currency),
          currency,
        ),
      ),
      periods: counts.map((period) => ({
        ...period,
        refusals: refusals
          .filter((refusal) => refusal.entryDate.slice(0, 7) === period.period)
          .map((refusal) => ({ ...refusal, refusedAt: refusal.refusedAt.toISOString() })),
        totals: totals
          .filter((total) => total.period === period.period)
          .map((total) => currencyTotals([total], total.currency)),
      })),
    };
  }

  /** The CSV journal of the entries dated in [from, to], written as it is read. */
  journal(from: string, to: string, legalEntity?: string): AsyncGenerator<string> {
    refuseBackwards(from, to);
    return journalCsv(this.entries.pagesBetween(from, to, this.csvPageSize, legalEntity));
  }
}

/** The sums of some rows of one currency, exact, with at least its decimals. */
function currencyTotals(rows: readonly PeriodTotals[], currency: string) {
  const of = (key: 'postedDebit' | 'postedCredit' | 'exportedDebit' | 'exportedCredit') =>
    formatAmountUnrounded(sum(rows.map((row) => row[key])), currency);
  return {
    currency,
    postedDebit: of('postedDebit'),
    postedCredit: of('postedCredit'),
    exportedDebit: of('exportedDebit'),
    exportedCredit: of('exportedCredit'),
  };
}

function refuseBackwards(from: string, to: string): void {
  if (to < from) {
    const message = `must not be before from (${from})`;
    throw kitErrors.create.VALIDATION_FAILED('1 field(s) failed validation', {
      errors: [{ field: '/query/to', message }],
    });
  }
}
