import { Decimal, formatAmount } from '../money.ts';

export type Side = 'debit' | 'credit';
export type EntryKind = 'event' | 'manual' | 'reversal' | 'income';

/** A line as a posting asks for it: the account by code and currency, before finance resolves it. */
export interface DraftLine {
  accountCode: string;
  currency: string;
  side: Side;
  amount: string;
  counterpartyId: string | null;
  contractId: string | null;
}

/** An entry as a posting asks for it; the ledger checks it, resolves its accounts and writes it. */
export interface EntryDraft {
  legalEntity: string;
  entryDate: string;
  kind: EntryKind;
  description: string;
  sourceEventId?: string;
  sourceEventType?: string;
  sourceKey?: string;
  postingRuleId?: string;
  reversesEntryId?: string;
  lines: DraftLine[];
}

/**
 * Why the ledger refuses a posting. The API answers these as problems; for an event they become the reason of
 * its review item. `lines` points at the draft's lines (0-based) the refusal is about.
 */
export type RefusalCode =
  | 'NO_MATCHING_RULE'
  | 'AMBIGUOUS_RULES'
  | 'DATA_PATH_MISSING'
  | 'AMOUNT_INVALID'
  | 'ENTRY_UNBALANCED'
  | 'ACCOUNT_DISABLED'
  | 'ACCOUNT_NOT_FOUND'
  | 'PERIOD_CLOSED'
  | 'ENTRY_DATE_IN_FUTURE'
  | 'LEGAL_ENTITY_NOT_FOUND';

export interface LineIssue {
  line: number;
  message: string;
}

/** A business refusal of a posting as a value: expected, with a code and (when it is about lines) which ones. */
export interface Refusal {
  code: RefusalCode;
  message: string;
  lines: LineIssue[];
}

/**
 * A {@link Refusal} thrown: by the ledger's checks, which manual entries, reversals and review retries reach
 * through their routes (`refusalProblem` turns it into the API's answer). Where a caller decides what a
 * refusal means (an event goes to review), it is returned as a value instead.
 */
export class PostingRefusal extends Error implements Refusal {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly lines: LineIssue[] = [],
  ) {
    super(message);
    this.name = 'PostingRefusal';
  }
}

/** The accounting period (month) of a business date: `2026-05-31` → `2026-05`. */
export function periodOf(date: string): string {
  return date.slice(0, 7);
}

/**
 * What keeps an entry from balancing: each line must be above zero, and per currency the debits must equal
 * the credits, with at least one of each. An unbalanced currency names every one of its lines with the
 * difference, so the person entering it sees where to look.
 */
export function balanceIssues(lines: readonly DraftLine[]): LineIssue[] {
  const issues: LineIssue[] = [];
  lines.forEach((line, index) => {
    if (!new Decimal(line.amount).gt(0)) issues.push({ line: index, message: 'amount must be above zero' });
  });
  if (issues.length > 0) return issues;
  if (lines.length < 2) {
    return lines.map((_, index) => ({
      line: index,
      message: 'an entry needs at least a debit and a credit',
    }));
  }
  const byCurrency = new Map<string, { debit: Decimal; credit: Decimal; lines: number[] }>();
  lines.forEach((line, index) => {
    const sums = byCurrency.get(line.currency) ?? {
      debit: new Decimal(0),
      credit: new Decimal(0),
      lines: [],
    };
    sums[line.side] = sums[line.side].plus(line.amount);
    sums.lines.push(index);
    byCurrency.set(line.currency, sums);
  });
  for (const [currency, sums] of byCurrency) {
    if (sums.debit.eq(sums.credit) && sums.debit.gt(0)) continue;
    const amount = (value: Decimal) => formatAmount(value, currency);
    const message =
      `${currency} debits ${amount(sums.debit)} and credits ${amount(sums.credit)} differ by ` +
      amount(sums.debit.minus(sums.credit).abs());
    for (const line of sums.lines) issues.push({ line, message });
  }
  return issues;
}

/** The lines of a reversal: the same accounts and amounts on the other side. */
export function reversedLines(lines: readonly DraftLine[]): DraftLine[] {
  return lines.map((line) => ({ ...line, side: line.side === 'debit' ? 'credit' : 'debit' }));
}
