import { sql, type Kysely } from 'kysely';
import type { FinanceDatabase } from '../database.ts';
import type { AccountTotals } from './trial-balance.ts';

export interface StatementLine {
  entryId: string;
  seq: string;
  entryDate: string;
  description: string;
  lineNo: number;
  side: 'debit' | 'credit';
  amount: string;
  counterpartyId: string | null;
  contractId: string | null;
}

export interface ReceivableRow {
  key: string | null;
  currency: string;
  debit: string;
  credit: string;
}

/** The SQL of the reports: sums of lines by account, the lines of one account, the receivables sub-ledger. */
export class ReportRepository {
  constructor(private readonly db: Kysely<FinanceDatabase>) {}

  /** Debits and credits of each account of a legal entity, lines dated on or before `at`. */
  async accountTotals(legalEntity: string, at: string): Promise<AccountTotals[]> {
    const { rows } = await sql<AccountTotals>`
      select a.code as "accountCode", a.name as "accountName", a.type as "accountType", a.currency,
        coalesce(sum(l.amount) filter (where l.side = 'debit'), 0)::text as debit,
        coalesce(sum(l.amount) filter (where l.side = 'credit'), 0)::text as credit
      from journal_lines l join accounts a on a.id = l.account_id
      where a.legal_entity = ${legalEntity} and l.entry_date <= ${at}::date
      group by a.id, a.code, a.name, a.type, a.currency
      order by a.code, a.currency`.execute(this.db.withoutPlugins());
    return rows;
  }

  /** debits − credits of an account's lines dated before `from`. */
  async netBefore(accountId: string, from: string): Promise<string> {
    const { rows } = await sql<{ net: string }>`
      select coalesce(sum(case side when 'debit' then amount else -amount end), 0)::text as net
      from journal_lines where account_id = ${accountId}::uuid and entry_date < ${from}::date`.execute(
      this.db.withoutPlugins(),
    );
    return rows[0]?.net ?? '0';
  }

  /** An account's lines dated from `from` to `to`, in posting order. */
  async accountLines(accountId: string, from: string | undefined, to: string): Promise<StatementLine[]> {
    const { rows } = await sql<StatementLine>`
      select e.id as "entryId", e.seq::text as seq, l.entry_date::text as "entryDate", e.description,
        l.line_no as "lineNo", l.side, l.amount::text as amount, l.counterparty_id as "counterpartyId",
        l.contract_id as "contractId"
      from journal_lines l join journal_entries e on e.id = l.entry_id
      where l.account_id = ${accountId}::uuid and l.entry_date <= ${to}::date
        ${from === undefined ? sql`` : sql`and l.entry_date >= ${from}::date`}
      order by l.entry_date, e.seq, l.line_no`.execute(this.db.withoutPlugins());
    return rows;
  }

  /** One account's lines summed by contract or by counterparty, on or before `at`. */
  async balancesBy(
    accountId: string,
    by: 'party' | 'contract',
    at: string,
    filter: { contractId?: string | undefined; partyId?: string | undefined },
  ): Promise<Omit<ReceivableRow, 'currency'>[]> {
    const key = by === 'party' ? sql.ref('counterparty_id') : sql.ref('contract_id');
    const { rows } = await sql<Omit<ReceivableRow, 'currency'>>`
      select ${key}::text as key,
        coalesce(sum(amount) filter (where side = 'debit'), 0)::text as debit,
        coalesce(sum(amount) filter (where side = 'credit'), 0)::text as credit
      from journal_lines
      where account_id = ${accountId}::uuid and entry_date <= ${at}::date
        ${filter.contractId ? sql`and contract_id = ${filter.contractId}::uuid` : sql``}
        ${filter.partyId ? sql`and counterparty_id = ${filter.partyId}::uuid` : sql``}
      group by ${key}
      order by ${key} nulls last`.execute(this.db.withoutPlugins());
    return rows;
  }

  /** The lines of an account code (every currency) summed by contract or by counterparty, on or before `at`. */
  async receivables(
    legalEntity: string,
    accountCode: string,
    by: 'party' | 'contract',
    at: string,
    filter: { contractId?: string | undefined; partyId?: string | undefined },
  ): Promise<ReceivableRow[]> {
    const key = by === 'party' ? sql.ref('l.counterparty_id') : sql.ref('l.contract_id');
    const { rows } = await sql<ReceivableRow>`
      select ${key}::text as key, a.currency,
        coalesce(sum(l.amount) filter (where l.side = 'debit'), 0)::text as debit,
        coalesce(sum(l.amount) filter (where l.side = 'credit'), 0)::text as credit
      from journal_lines l join accounts a on a.id = l.account_id
      where a.legal_entity = ${legalEntity} and a.code = ${accountCode} and l.entry_date <= ${at}::date
        ${filter.contractId ? sql`and l.contract_id = ${filter.contractId}::uuid` : sql``}
        ${filter.partyId ? sql`and l.counterparty_id = ${filter.partyId}::uuid` : sql``}
      group by ${key}, a.currency
      order by ${key} nulls last, a.currency`.execute(this.db.withoutPlugins());
    return rows;
  }
}
