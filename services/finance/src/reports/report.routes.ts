import type { ServiceApp } from '@lessor/service-kit';
import { jsonOrCsv, sendCsv, wantsCsv } from './csv-response.ts';
import { toCsv } from './csv.ts';
import {
  AccountBalancesQuery,
  AccountBalancesResponse,
  ReceivablesQuery,
  ReceivablesResponse,
  StatementParams,
  StatementQuery,
  StatementResponse,
  TrialBalanceQuery,
  TrialBalanceResponse,
} from './report.schemas.ts';
import type { ReportService } from './report.service.ts';

const tags = ['reports'];

/** The reports, each as JSON or CSV. */
export function registerReportRoutes(app: ServiceApp, reports: ReportService): void {
  app.get(
    '/v1/trial-balance',
    {
      config: { permission: 'finance:reports:read' },
      schema: {
        tags,
        summary: 'Trial balance at a date',
        description:
          'Each account’s balance on its side, lines dated on or before `at` (the business date by default), in `currency` (the functional currency by default): accounts in other currencies are converted at the latest rate on or before `at` (direct, else the inverse of the other way), rounded half-up to the currency’s minor unit, the rounding on a line of its own. Total debit always equals total credit.',
        querystring: TrialBalanceQuery,
        response: jsonOrCsv(TrialBalanceResponse),
      },
    },
    async (request, reply) => {
      const report = await reports.trialBalance(request.query);
      if (!wantsCsv(request, request.query.format)) return report;
      return sendCsv(
        reply,
        `trial-balance-${report.legalEntity}-${report.at}`,
        toCsv(
          ['accountCode', 'accountName', 'accountType', 'accountCurrency', 'debit', 'credit', 'currency'],
          [
            ...report.lines.map((line) => [
              line.accountCode,
              line.accountName,
              line.accountType,
              line.accountCurrency,
              line.debit.amount,
              line.credit.amount,
              report.currency,
            ]),
            ['TOTAL', '', '', '', report.totalDebit.amount, report.totalCredit.amount, report.currency],
          ],
        ),
      );
    },
  );

  app.get(
    '/v1/accounts/:code/statement',
    {
      config: { permission: 'finance:reports:read' },
      schema: {
        tags,
        summary: 'Account statement with running balance',
        description:
          'The account of this code in `currency` (the functional currency by default): the opening balance before `from`, each line to `to` (the business date by default) with the balance after it, and the closing balance. Balances are positive on the account’s normal side.',
        params: StatementParams,
        querystring: StatementQuery,
        response: jsonOrCsv(StatementResponse),
      },
    },
    async (request, reply) => {
      const statement = await reports.statement(request.params.code, request.query);
      if (!wantsCsv(request, request.query.format)) return statement;
      return sendCsv(
        reply,
        `statement-${statement.legalEntity}-${statement.accountCode}-${statement.currency}`,
        toCsv(
          ['date', 'entryId', 'description', 'debit', 'credit', 'balance', 'counterpartyId', 'contractId'],
          [
            [statement.from ?? '', '', 'Opening balance', '', '', statement.opening.amount, '', ''],
            ...statement.lines.map((line) => [
              line.date,
              line.entryId,
              line.description,
              line.debit.amount,
              line.credit.amount,
              line.balance.amount,
              line.counterpartyId,
              line.contractId,
            ]),
            [statement.to, '', 'Closing balance', '', '', statement.closing.amount, '', ''],
          ],
        ),
      );
    },
  );

  app.get(
    '/v1/accounts/:code/balances',
    {
      config: { permission: 'finance:reports:read' },
      schema: {
        tags,
        summary: 'An account’s balance by contract or by counterparty, at a date',
        description:
          'The lines of one account (the code in `currency`, default the functional currency) dated on or before `at` (default the business date), summed by contract (`by=contract`) or counterparty (`by=party`), balances positive on the account’s normal side: what the bank (1000) received per contract, the customer credit (2200) each client still has, any account’s sub-ledger. `contractId`/`partyId` narrow it to one. Lines without a contract (money no contract claims yet) are the item whose id is null. The receivables report is this of account 1100 in every currency.',
        params: StatementParams,
        querystring: AccountBalancesQuery,
        response: jsonOrCsv(AccountBalancesResponse),
      },
    },
    async (request, reply) => {
      const report = await reports.accountBalances(request.params.code, request.query);
      if (!wantsCsv(request, request.query.format)) return report;
      const key = report.by === 'party' ? 'partyId' : 'contractId';
      return sendCsv(
        reply,
        `balances-${report.accountCode}-by-${report.by}-${report.legalEntity}-${report.at}`,
        toCsv(
          [key, 'currency', 'debit', 'credit', 'balance'],
          report.items.map((item) => [
            report.by === 'party' ? item.partyId : item.contractId,
            report.currency,
            item.debit.amount,
            item.credit.amount,
            item.balance.amount,
          ]),
        ),
      );
    },
  );

  app.get(
    '/v1/receivables',
    {
      config: { permission: 'finance:reports:read' },
      schema: {
        tags,
        summary: 'Receivables sub-ledger by contract or by counterparty',
        description:
          'Trade receivables (account 1100: invoiced and not yet settled, penalties included) summed by contract (`by=contract`) or counterparty (`by=party`), lines dated on or before `at`.',
        querystring: ReceivablesQuery,
        response: jsonOrCsv(ReceivablesResponse),
      },
    },
    async (request, reply) => {
      const report = await reports.receivables(request.query);
      if (!wantsCsv(request, request.query.format)) return report;
      const key = report.by === 'party' ? 'partyId' : 'contractId';
      return sendCsv(
        reply,
        `receivables-by-${report.by}-${report.legalEntity}-${report.at}`,
        toCsv(
          [key, 'currency', 'debit', 'credit', 'balance'],
          report.items.map((item) => [
            report.by === 'party' ? item.partyId : item.contractId,
            item.balance.currency,
            item.debit.amount,
            item.credit.amount,
            item.balance.amount,
          ]),
        ),
      );
    },
  );
}
