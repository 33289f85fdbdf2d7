import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState } from '../../../ui/QueryState.tsx';
import { ContractRef, PartyRef } from '../../billing/common/references.tsx';
import { isBusinessDate } from '../../billing/common/values.ts';
import { useReportParams } from '../common/params.ts';
import { DateFilter, GroupByFilter, reportBy } from '../common/ReportFilters.tsx';
import { ReportPage } from '../common/ReportPage.tsx';
import type { Receivables } from '../common/types.ts';
import { useFinanceReport } from '../common/useFinanceReport.ts';
import { entityQuery, useLegalEntity } from '../FinanceFrame.tsx';

/** The receivables sub-ledger's table: one row per counterparty or contract, and the totals per currency. */
export function ReceivablesTable({ report }: { report: Receivables }) {
  const { t } = useTranslation('finance');
  const byParty = report.by === 'party';
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing={4}>
          <Table.Caption>{t('receivables.title')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{byParty ? t('receivables.party') : t('receivables.contract')}</Table.Th>
              <Table.Th ta="right">{t('journal.debit')}</Table.Th>
              <Table.Th ta="right">{t('journal.credit')}</Table.Th>
              <Table.Th ta="right">{t('receivables.balance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item) => (
              <Table.Tr key={`${item.partyId ?? ''}-${item.contractId ?? ''}-${item.balance.currency}`}>
                <Table.Td>
                  {byParty ? (
                    item.partyId ? (
                      <PartyRef id={item.partyId} />
                    ) : (
                      t('receivables.none')
                    )
                  ) : item.contractId ? (
                    <ContractRef id={item.contractId} />
                  ) : (
                    t('receivables.none')
                  )}
                </Table.Td>
                <Table.Td ta="right">{formatMoneyValue(item.debit)}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(item.credit)}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(item.balance)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            {report.totals.map((total) => (
              <Table.Tr key={total.currency}>
                <Table.Th colSpan={3}>{t('receivables.total', { currency: total.currency })}</Table.Th>
                <Table.Th ta="right">{formatMoneyValue(total.balance)}</Table.Th>
              </Table.Tr>
            ))}
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {report.items.length === 0 && <EmptyState>{t('receivables.empty')}</EmptyState>}
    </>
  );
}

/** Trade receivables (account 1100) by counterparty or by contract at a date. */
export function ReceivablesPage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const by = reportBy(params);
  const at = params.get('at');
  const query = { ...entityQuery(entity), by, ...(isBusinessDate(at) ? { at } : {}) } as const;
  const report = useFinanceReport('/v1/receivables', { query });
  return (
    <ReportPage
      section="receivables"
      title={t('receivables.title')}
      report={report}
      csvName={`receivables-by-${by}.csv`}
      filters={
        <>
          <GroupByFilter params={params} />
          <DateFilter params={params} name="at" label={t('report.at')} description={t('report.atHelp')} />
        </>
      }
      subtitle={(data) =>
        t('receivables.subtitle', {
          account: data.accountCode,
          entity: data.legalEntity,
          date: formatDate(data.at),
        })
      }
    >
      {(data) => <ReceivablesTable report={data} />}
    </ReportPage>
  );
}
