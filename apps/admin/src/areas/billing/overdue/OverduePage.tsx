import { Button, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { QueryState } from '../../../ui/QueryState.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
import { ContractRef } from '../common/references.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { Invoice } from '../common/types.ts';
import { addDays, isBusinessDate, today } from '../common/values.ts';
import { AgingChart } from './AgingChart.tsx';

/** Overdue is not a status: an issued or partly paid invoice past its due date. The list asks for both. */
const OPEN_STATUSES = ['issued', 'partially-paid'] as const;
type OpenStatus = (typeof OPEN_STATUSES)[number];
/** Where each status's list stands: undefined before its first page, null once it has no more. */
type Cursors = Record<OpenStatus, string | null | undefined>;

/** Receivables aged at a date (chart per currency) and the invoices overdue at it, longest overdue first. */
export function OverduePage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const params = useListFilters();
  const at = params.valid('at', isBusinessDate) ?? today();
  const contractId = params.get('contractId') || undefined;

  const aging = useQuery({
    queryKey: ['billing', 'aging', at, contractId],
    queryFn: () =>
      unwrap(
        api.billing.GET('/v1/aging', { params: { query: { at, ...(contractId ? { contractId } : {}) } } }),
      ),
  });

  // Due on or before the day before `at`: past due at the end of `at`, as the aging counts it.
  const dueTo = addDays(at, -1);
  const overdue = useInfiniteQuery({
    queryKey: ['billing', 'invoices', 'overdue', dueTo, contractId],
    initialPageParam: { issued: undefined, 'partially-paid': undefined } as Cursors,
    queryFn: async ({ pageParam }) => {
      const pages = await Promise.all(
        OPEN_STATUSES.map(async (status) => {
          const cursor = pageParam[status];
          if (cursor === null) return { status, items: [] as Invoice[], nextCursor: null };
          const page = await unwrap(
            api.billing.GET('/v1/invoices', {
              params: {
                query: {
                  limit: 100,
                  status,
                  dueTo,
                  sort: 'dueDate',
                  ...(contractId ? { contractId } : {}),
                  ...(cursor ? { cursor } : {}),
                },
              },
            }),
          );
          return { status, items: page.items, nextCursor: page.nextCursor };
        }),
      );
      const next: Cursors = { issued: null, 'partially-paid': null };
      for (const page of pages) next[page.status] = page.nextCursor;
      return { items: pages.flatMap((page) => page.items), next };
    },
    getNextPageParam: (last) => (last.next.issued || last.next['partially-paid'] ? last.next : undefined),
  });
  const rows = overdue.data?.pages
    .flatMap((page) => page.items)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.number ?? '').localeCompare(b.number ?? ''));

  return (
    <BillingFrame section="overdue">
      <Stack gap="md">
        <Title order={3}>{t('overdue.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <TextInput
            type="date"
            label={t('overdue.at')}
            value={at}
            onChange={(event) => params.set('at', event.currentTarget.value)}
          />
          <ContractSelect
            label={t('invoice.contract')}
            value={contractId ?? null}
            onChange={(id) => params.set('contractId', id)}
          />
        </SimpleGrid>
        <QueryState
          query={aging}
          isEmpty={(data) => data.currencies.length === 0}
          empty={t('overdue.noReceivables', { date: formatDate(at) })}
        >
          {(data) => (
            <SimpleGrid cols={{ base: 1, lg: data.currencies.length > 1 ? 2 : 1 }} spacing="md">
              {data.currencies.map((currency) => (
                <AgingChart key={currency.currency} aging={currency} />
              ))}
            </SimpleGrid>
          )}
        </QueryState>
        <Title order={4}>{t('overdue.listTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('overdue.listIntro', { date: formatDate(at) })}
        </Text>
        <DataTable
          caption={t('overdue.listCaption')}
          rows={rows}
          rowKey={(row) => row.id}
          loading={overdue.isPending}
          error={overdue.error}
          onRetry={() => void overdue.refetch()}
          empty={t('overdue.noOverdue')}
          onRowClick={(row) => void navigate(`/billing/invoices/${row.id}`)}
          columns={[
            { key: 'number', header: t('invoice.number'), sortValue: (row) => row.number ?? '' },
            {
              key: 'contract',
              header: t('invoice.contract'),
              render: (row) => <ContractRef id={row.contractId} />,
            },
            {
              key: 'dueDate',
              header: t('invoice.dueDate'),
              sortValue: (row) => row.dueDate,
              render: (row) => formatDate(row.dueDate),
            },
            {
              key: 'daysOverdue',
              header: t('overdue.daysOverdue'),
              align: 'right',
              sortValue: (row) => dayjs(at).diff(dayjs(row.dueDate), 'day'),
              render: (row) => dayjs(at).diff(dayjs(row.dueDate), 'day'),
            },
            {
              key: 'total',
              header: t('invoice.total'),
              align: 'right',
              render: (row) => formatMoneyValue(row.total),
            },
            {
              key: 'penalties',
              header: t('invoice.penalties'),
              align: 'right',
              render: (row) => formatMoneyValue(row.penalties),
            },
            {
              key: 'openAmount',
              header: t('overdue.openNow'),
              align: 'right',
              render: (row) => formatMoneyValue(row.openAmount),
            },
            {
              key: 'status',
              header: t('invoice.status'),
              render: (row) => <StatusBadge kind="invoice" status={row.status} />,
            },
          ]}
        />
        {overdue.hasNextPage && (
          <Group justify="center">
            <Button
              variant="default"
              onClick={() => void overdue.fetchNextPage()}
              loading={overdue.isFetchingNextPage}
            >
              {t('overdue.loadMore')}
            </Button>
          </Group>
        )}
      </Stack>
    </BillingFrame>
  );
}
