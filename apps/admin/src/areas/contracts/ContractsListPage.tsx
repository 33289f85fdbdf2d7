import { Anchor, Group, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { formatDate, formatDateTime, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable, useCursorPager, type CursorPager } from '../../ui/DataTable.tsx';
import { useDebouncedFilter, useListFilters } from '../../ui/useListFilters.ts';
import { CONTRACT_STATUSES } from './contract-actions.ts';
import { ContractStatusBadge } from './StatusBadge.tsx';
import type { ContractListItem, ContractSort, ContractStatus } from './types.ts';

const PAGE_SIZE = 25;
const SORTS: readonly string[] = ['number', '-number', 'createdAt', '-createdAt', 'startDate', '-startDate'];

export interface ContractsTableProps {
  rows: ContractListItem[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort: ContractSort;
  onSortChange: (sort: ContractSort) => void;
  pager?: CursorPager;
  onOpen?: (contract: ContractListItem) => void;
}

/** Contracts, one a row, sorted by the server; the number opens the card. */
export function ContractsTable(props: ContractsTableProps) {
  const { t } = useTranslation('contracts');
  const storedNames = props.rows?.some((row) => row.party.stale || row.asset.stale) ?? false;
  return (
    <Stack gap="xs">
      <DataTable
        caption={t('list.caption')}
        rows={props.rows}
        rowKey={(row) => row.id}
        loading={props.loading}
        error={props.error}
        {...(props.onRetry ? { onRetry: props.onRetry } : {})}
        {...(props.pager ? { pager: props.pager } : {})}
        {...(props.onOpen ? { onRowClick: props.onOpen } : {})}
        sort={props.sort}
        onSortChange={(sort) => props.onSortChange(sort as ContractSort)}
        empty={t('list.empty')}
        columns={[
          {
            key: 'number',
            header: t('fields.number'),
            sortKey: 'number',
            render: (row) => (
              <Anchor
                component={Link}
                to={`/contracts/${row.id}`}
                size="sm"
                // The number is one word: never broken at its hyphens.
                style={{ whiteSpace: 'nowrap' }}
                onClick={(e) => e.stopPropagation()}
              >
                {row.number}
              </Anchor>
            ),
          },
          { key: 'party', header: t('fields.party'), render: (row) => row.party.name },
          { key: 'asset', header: t('fields.asset'), render: (row) => row.asset.name },
          {
            key: 'status',
            header: t('fields.status'),
            render: (row) => <ContractStatusBadge status={row.status} />,
          },
          {
            key: 'financedAmount',
            header: t('fields.financedAmount'),
            align: 'right',
            render: (row) => formatMoneyValue(row.financedAmount),
          },
          { key: 'termMonths', header: t('fields.termMonths'), align: 'right' },
          {
            key: 'startDate',
            header: t('fields.startDate'),
            sortKey: 'startDate',
            render: (row) => formatDate(row.startDate),
          },
          {
            key: 'createdAt',
            header: t('fields.createdAt'),
            sortKey: 'createdAt',
            render: (row) => formatDateTime(row.createdAt),
          },
        ]}
      />
      {storedNames && (
        <Text size="xs" c="dimmed">
          {t('list.storedNames')}
        </Text>
      )}
    </Stack>
  );
}

/**
 * Contracts by status (a tab per status, kept in the address as `?status=`), searched by number, sorted and
 * paged by the server.
 */
export function ContractsListPage() {
  const { t } = useTranslation('contracts');
  const navigate = useNavigate();
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  const pager = useCursorPager(nextCursor);
  const filters = useListFilters({ onChange: pager.reset });
  const status: ContractStatus | 'all' = filters.oneOf<ContractStatus>('status', CONTRACT_STATUSES) ?? 'all';
  const sort = (filters.oneOf('sort', SORTS) ?? '-createdAt') as ContractSort;
  const {
    input: numberInput,
    setInput: setNumberInput,
    value: number,
  } = useDebouncedFilter(filters, 'number');

  const query = useQuery({
    queryKey: ['leasing', 'contracts', { status, number, sort, cursor: pager.cursor }],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/contracts', {
          params: {
            query: {
              limit: PAGE_SIZE,
              deleted: 'exclude',
              sort,
              ...(status === 'all' ? {} : { status }),
              ...(number === '' ? {} : { number }),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data]);

  const table = (
    <ContractsTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      sort={sort}
      onSortChange={(next) => filters.set('sort', next)}
      pager={pager}
      onOpen={(contract) => void navigate(`/contracts/${contract.id}`)}
    />
  );
  return (
    <Stack gap="md">
      <Title order={2}>{t('list.title')}</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('list.searchNumber')}
          placeholder="LC-LESSOR-2026-000042"
          value={numberInput}
          onChange={(event) => setNumberInput(event.currentTarget.value)}
          w={280}
        />
      </Group>
      <Tabs
        value={status}
        onChange={(value) => filters.set('status', value === 'all' ? null : value)}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="all">{t('list.all')}</Tabs.Tab>
          {CONTRACT_STATUSES.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {t(`status.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {(['all', ...CONTRACT_STATUSES] as const).map((value) => (
          <Tabs.Panel key={value} value={value} pt="sm">
            {value === status && table}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
