import { Input, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState, QueryState } from '../../../ui/QueryState.tsx';
import { ContractRef, PartyRef } from '../../billing/common/references.tsx';
import { isBusinessDate } from '../../billing/common/values.ts';
import { ExportCsvButton } from '../common/ExportCsvButton.tsx';
import { jsonReport, useReportParams } from '../common/params.ts';
import type { Receivables } from '../common/types.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';

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
  const by = params.get('by') === 'party' ? 'party' : 'contract';
  const at = params.get('at');
  const query = { ...entityQuery(entity), by, ...(isBusinessDate(at) ? { at } : {}) } as const;
  const report = useQuery({
    queryKey: ['finance', 'receivables', query],
    placeholderData: keepPreviousData,
    queryFn: async () => jsonReport(await unwrap(api.finance.GET('/v1/receivables', { params: { query } }))),
  });
  return (
    <FinanceFrame
      section="receivables"
      actions={
        <ExportCsvButton
          fallbackName={`receivables-by-${by}.csv`}
          fetchCsv={() =>
            api.finance.GET('/v1/receivables', {
              params: { query: { ...query, format: 'csv' } },
              parseAs: 'blob',
            })
          }
        />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('receivables.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <Stack gap={4}>
            <Input.Label id="receivables-by">{t('receivables.by')}</Input.Label>
            <SegmentedControl
              aria-labelledby="receivables-by"
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
        </SimpleGrid>
        <QueryState query={report} isEmpty={() => false}>
          {(data) => (
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('receivables.subtitle', {
                  account: data.accountCode,
                  entity: data.legalEntity,
                  date: formatDate(data.at),
                })}
              </Text>
              <ReceivablesTable report={data} />
            </Stack>
          )}
        </QueryState>
      </Stack>
    </FinanceFrame>
  );
}
