import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState } from '../../../ui/QueryState.tsx';
import { ContractSelect } from '../../billing/common/ContractSelect.tsx';
import { ContractRef, PartyRef } from '../../billing/common/references.tsx';
import { isBusinessDate, isUuid } from '../../billing/common/values.ts';
import { currencyCode, useReportParams } from '../common/params.ts';
import {
  AccountFilter,
  CurrencyFilter,
  DateFilter,
  GroupByFilter,
  reportBy,
} from '../common/ReportFilters.tsx';
import { ReportPage } from '../common/ReportPage.tsx';
import type { AccountBalances } from '../common/types.ts';
import { useFinanceReport } from '../common/useFinanceReport.ts';
import { entityQuery, useLegalEntity } from '../FinanceFrame.tsx';

/**
 * One account's balances: a row per contract (linked to it) or counterparty, the lines without one last (the API
 * sends them last, with a null id), and the account's balance at the date.
 */
export function BalancesTable({ report }: { report: AccountBalances }) {
  const { t } = useTranslation('finance');
  const byParty = report.by === 'party';
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing={4}>
          <Table.Caption>
            {t('balances.caption', { code: report.accountCode, name: report.accountName })}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{byParty ? t('receivables.party') : t('receivables.contract')}</Table.Th>
              <Table.Th ta="right">{t('journal.debit')}</Table.Th>
              <Table.Th ta="right">{t('journal.credit')}</Table.Th>
              <Table.Th ta="right">{t('receivables.balance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item) => {
              const id = byParty ? item.partyId : item.contractId;
              return (
                <Table.Tr key={id ?? 'none'}>
                  <Table.Td>
                    {id === null ? (
                      <Text span size="sm" c="dimmed">
                        {byParty ? t('balances.noParty') : t('balances.noContract')}
                      </Text>
                    ) : byParty ? (
                      <PartyRef id={id} />
                    ) : (
                      <ContractRef id={id} />
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatMoneyValue(item.debit)}</Table.Td>
                  <Table.Td ta="right">{formatMoneyValue(item.credit)}</Table.Td>
                  <Table.Td ta="right">{formatMoneyValue(item.balance)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={3}>{t('balances.total')}</Table.Th>
              <Table.Th ta="right">{formatMoneyValue(report.total)}</Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {report.items.length === 0 && <EmptyState>{t('balances.empty')}</EmptyState>}
    </>
  );
}

/**
 * An account's balance by contract or counterparty at a date, in one of its currencies (finance's
 * `GET /v1/accounts/{code}/balances`): the receivables report for any account. The inputs stay in the address.
 */
export function BalancesPage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const code = params.get('account');
  const by = reportBy(params);
  const at = params.get('at');
  const currency = currencyCode(params.get('currency'));
  const contractId = params.get('contractId');
  const query = {
    ...entityQuery(entity),
    by,
    ...(isBusinessDate(at) ? { at } : {}),
    ...(currency ? { currency } : {}),
    ...(isUuid(contractId) ? { contractId } : {}),
  } as const;
  const report = useFinanceReport(
    '/v1/accounts/{code}/balances',
    { path: { code }, query },
    { enabled: code !== '' },
  );
  return (
    <ReportPage
      section="balances"
      title={t('balances.title')}
      intro={t('balances.intro')}
      report={report}
      csvName={`balances-${code}-by-${by}.csv`}
      prompt={code === '' ? t('balances.chooseAccount') : undefined}
      filterColumns={{ base: 1, sm: 2, lg: 5 }}
      filters={
        <>
          <AccountFilter params={params} entity={entity} />
          <GroupByFilter params={params} />
          <DateFilter params={params} name="at" label={t('report.at')} description={t('report.atHelp')} />
          <CurrencyFilter params={params} />
          <ContractSelect
            label={t('journal.contract')}
            value={contractId || null}
            onChange={(id) => params.set('contractId', id)}
          />
        </>
      }
      subtitle={(data) =>
        t('balances.subtitle', {
          entity: data.legalEntity,
          date: formatDate(data.at),
          currency: data.currency,
          side: t(`statement.side.${data.normalBalance}`),
        })
      }
    >
      {(data) => <BalancesTable report={data} />}
    </ReportPage>
  );
}
