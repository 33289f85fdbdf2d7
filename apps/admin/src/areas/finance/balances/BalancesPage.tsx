import { Input, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState, QueryState } from '../../../ui/QueryState.tsx';
import { ContractSelect } from '../../billing/common/ContractSelect.tsx';
import { ContractRef, PartyRef } from '../../billing/common/references.tsx';
import { isBusinessDate, isUuid } from '../../billing/common/values.ts';
import { AccountSelect } from '../common/AccountSelect.tsx';
import { ExportCsvButton } from '../common/ExportCsvButton.tsx';
import { currencyCode, jsonReport, useReportParams } from '../common/params.ts';
import type { AccountBalances } from '../common/types.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';

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
  const by = params.get('by') === 'party' ? 'party' : 'contract';
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
  const report = useQuery({
    queryKey: ['finance', 'balances', code, query],
    enabled: code !== '',
    placeholderData: keepPreviousData,
    queryFn: async () =>
      jsonReport(
        await unwrap(api.finance.GET('/v1/accounts/{code}/balances', { params: { path: { code }, query } })),
      ),
  });
  return (
    <FinanceFrame
      section="balances"
      actions={
        <ExportCsvButton
          disabled={code === ''}
          fallbackName={`balances-${code}-by-${by}.csv`}
          fetchCsv={() =>
            api.finance.GET('/v1/accounts/{code}/balances', {
              params: { path: { code }, query: { ...query, format: 'csv' } },
              parseAs: 'blob',
            })
          }
        />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('balances.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('balances.intro')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
          <AccountSelect
            entity={entity}
            label={t('journal.account')}
            value={code}
            onChange={(value) => params.set('account', value)}
            required
          />
          <Stack gap={4}>
            <Input.Label id="balances-by">{t('receivables.by')}</Input.Label>
            <SegmentedControl
              aria-labelledby="balances-by"
              fullWidth
              value={by}
              onChange={(value) => params.set('by', value === 'party' ? 'party' : null)}
              data={[
                { value: 'contract', label: t('receivables.byContract') },
                { value: 'party', label: t('receivables.byParty') },
              ]}
            />
          </Stack>
          <TextInput
            type="date"
            label={t('report.at')}
            description={t('report.atHelp')}
            value={at}
            onChange={(e) => params.set('at', e.currentTarget.value)}
          />
          <TextInput
            label={t('report.currency')}
            description={t('report.currencyHelp')}
            value={params.get('currency')}
            maxLength={3}
            onChange={(e) => params.set('currency', e.currentTarget.value.toUpperCase())}
            error={params.get('currency') && !currency ? t('report.currencyInvalid') : undefined}
          />
          <ContractSelect
            label={t('journal.contract')}
            value={contractId || null}
            onChange={(id) => params.set('contractId', id)}
          />
        </SimpleGrid>
        {code === '' ? (
          <EmptyState>{t('balances.chooseAccount')}</EmptyState>
        ) : (
          <QueryState query={report} isEmpty={() => false}>
            {(data) => (
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('balances.subtitle', {
                    entity: data.legalEntity,
                    date: formatDate(data.at),
                    currency: data.currency,
                    side: t(`statement.side.${data.normalBalance}`),
                  })}
                </Text>
                <BalancesTable report={data} />
              </Stack>
            )}
          </QueryState>
        )}
      </Stack>
    </FinanceFrame>
  );
}
