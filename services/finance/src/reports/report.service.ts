import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { AccountService } from '../accounts/account.service.ts';
import {
  normalSide,
  RECEIVABLES_ACCOUNT,
  TRANSLATION_ROUNDING_ACCOUNT,
  type AccountType,
} from '../accounts/default-chart.ts';
import type { FinanceDatabase } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { FxRateService } from '../fx/fx-rate.service.ts';
import { Decimal, money } from '../money.ts';
import type { Ledger } from '../posting/ledger.ts';
import { ReportRepository } from './report.repository.ts';
import type {
  AccountBalancesQuery,
  ReceivablesQuery,
  StatementQuery,
  TrialBalanceQuery,
} from './report.schemas.ts';
import { trialBalance } from './trial-balance.ts';

/** The reports: trial balance (always balanced), account statement, the receivables sub-ledger. */
export class ReportService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly ledger: Ledger,
    private readonly accounts: AccountService,
    private readonly rates: FxRateService,
    private readonly defaults: { legalEntity: string },
  ) {}

  /**
   * The trial balance at a date (the business date by default), in `currency` (the legal entity's functional
   * currency by default); accounts in other currencies are converted at the latest rate on or before the date.
   */
  async trialBalance(query: TrialBalanceQuery) {
    const legalEntity = query.legalEntity ?? this.defaults.legalEntity;
    const entity = await this.#entity(legalEntity);
    const at = query.at ?? entity.businessDate ?? this.ledger.systemDate();
    const currency = query.currency ?? entity.functionalCurrency;
    const totals = await new ReportRepository(this.db).accountTotals(legalEntity, at);
    const conversions = await this.rates.conversions(
      totals.map((row) => row.currency),
      currency,
      at,
    );
    const missing = [...new Set(totals.map((row) => row.currency))].filter(
      (code) => code !== currency && !conversions.has(code),
    );
    if (missing.length > 0) {
      throw financeErrors.create.FX_RATE_MISSING(`No rate on or before ${at} into ${currency}`, {
        errors: missing.map((code) => ({
          field: '/query/currency',
          message: `no ${code}/${currency} rate (either way) on or before ${at}`,
        })),
      });
    }
    const rates = new Map([...conversions].map(([code, conversion]) => [code, conversion.rate]));
    const report = trialBalance(totals, currency, rates, TRANSLATION_ROUNDING_ACCOUNT);
    const byCurrency = new Map<string, { debit: Decimal; credit: Decimal }>();
    for (const row of totals) {
      const net = new Decimal(row.debit).minus(row.credit);
      const sums = byCurrency.get(row.currency) ?? { debit: new Decimal(0), credit: new Decimal(0) };
      if (net.isPositive()) sums.debit = sums.debit.plus(net);
      else sums.credit = sums.credit.minus(net);
      byCurrency.set(row.currency, sums);
    }
    return {
      legalEntity,
      at,
      ...report,
      byCurrency: [...byCurrency].map(([code, sums]) => ({
        currency: code,
        totalDebit: money(sums.debit, code),
        totalCredit: money(sums.credit, code),
      })),
    };
  }

  /** An account's lines between two dates with the running balance, shown positive on its normal side. */
  async statement(code: string, query: StatementQuery) {
    const legalEntity = query.legalEntity ?? this.defaults.legalEntity;
    const entity = await this.#entity(legalEntity);
    const account = await this.accounts.byCode(legalEntity, code, query.currency);
    const to = query.to ?? entity.businessDate ?? this.ledger.systemDate();
    if (query.from && query.from > to) {
      throw kitErrors.create.VALIDATION_FAILED('from is after to', {
        errors: [{ field: '/query/from', message: `must not be after ${to}` }],
      });
    }
    const reports = new ReportRepository(this.db);
    const side = normalSide(account.type as AccountType);
    // Debit-minus-credit turned to the account's normal side: an asset's balance grows by debits, a liability's by credits.
    const signed = (net: Decimal.Value) => (side === 'debit' ? new Decimal(net) : new Decimal(net).negated());
    const opening = query.from ? signed(await reports.netBefore(account.id, query.from)) : new Decimal(0);
    let balance = opening;
    const zero = money('0', account.currency);
    const lines = (await reports.accountLines(account.id, query.from, to)).map((line) => {
      const net = line.side === 'debit' ? new Decimal(line.amount) : new Decimal(line.amount).negated();
      balance = balance.plus(signed(net));
      return {
        date: line.entryDate,
        entryId: line.entryId,
        seq: line.seq,
        description: line.description,
        debit: line.side === 'debit' ? money(line.amount, account.currency) : zero,
        credit: line.side === 'credit' ? money(line.amount, account.currency) : zero,
        balance: money(balance, account.currency),
        counterpartyId: line.counterpartyId,
        contractId: line.contractId,
      };
    });
    return {
      legalEntity,
      accountCode: account.code,
      accountName: account.name,
      accountType: account.type,
      currency: account.currency,
      normalBalance: side,
      from: query.from ?? null,
      to,
      opening: money(opening, account.currency),
      closing: money(balance, account.currency),
      lines,
    };
  }

  /**
   * One account's balance by contract or by counterparty at a date (bank 1000, customer credit 2200, any other),
   * shown positive on its normal side, as the statement shows it.
   */
  async accountBalances(code: string, query: AccountBalancesQuery) {
    const legalEntity = query.legalEntity ?? this.defaults.legalEntity;
    const entity = await this.#entity(legalEntity);
    const account = await this.accounts.byCode(legalEntity, code, query.currency);
    const at = query.at ?? entity.businessDate ?? this.ledger.systemDate();
    const side = normalSide(account.type as AccountType);
    const rows = await new ReportRepository(this.db).balancesBy(account.id, query.by, at, {
      contractId: query.contractId,
      partyId: query.partyId,
    });
    let total = new Decimal(0);
    const items = rows.map((row) => {
      const net = new Decimal(row.debit).minus(row.credit);
      const balance = side === 'debit' ? net : net.negated();
      total = total.plus(balance);
      return {
        contractId: query.by === 'contract' ? row.key : null,
        partyId: query.by === 'party' ? row.key : null,
        debit: money(row.debit, account.currency),
        credit: money(row.credit, account.currency),
        balance: money(balance, account.currency),
      };
    });
    return {
      legalEntity,
      accountCode: account.code,
      accountName: account.name,
      accountType: account.type,
      currency: account.currency,
      normalBalance: side,
      by: query.by,
      at,
      items,
      total: money(total, account.currency),
    };
  }

  /** Trade receivables (account 1100) by contract or by counterparty, in each currency, at a date. */
  async receivables(query: ReceivablesQuery) {
    const legalEntity = query.legalEntity ?? this.defaults.legalEntity;
    const entity = await this.#entity(legalEntity);
    const at = query.at ?? entity.businessDate ?? this.ledger.systemDate();
    const rows = await new ReportRepository(this.db).receivables(
      legalEntity,
      RECEIVABLES_ACCOUNT,
      query.by,
      at,
      {
        contractId: query.contractId,
        partyId: query.partyId,
      },
    );
    const totals = new Map<string, Decimal>();
    const items = rows.map((row) => {
      const balance = new Decimal(row.debit).minus(row.credit);
      totals.set(row.currency, (totals.get(row.currency) ?? new Decimal(0)).plus(balance));
      return {
        partyId: query.by === 'party' ? row.key : null,
        contractId: query.by === 'contract' ? row.key : null,
        debit: money(row.debit, row.currency),
        credit: money(row.credit, row.currency),
        balance: money(balance, row.currency),
      };
    });
    return {
      legalEntity,
      accountCode: RECEIVABLES_ACCOUNT,
      by: query.by,
      at,
      items,
      totals: [...totals].map(([currency, balance]) => ({ currency, balance: money(balance, currency) })),
    };
  }

  async #entity(legalEntity: string) {
    const entity = await this.db
      .selectFrom('legalEntities')
      .selectAll()
      .where('code', '=', legalEntity)
      .executeTakeFirst();
    if (!entity)
      throw financeErrors.create.LEGAL_ENTITY_NOT_FOUND(`Finance keeps no books for ${legalEntity}`);
    return entity;
  }
}
