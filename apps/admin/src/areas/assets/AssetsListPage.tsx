import { Anchor, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDate, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable, useCursorPager, type CursorPager } from '../../ui/DataTable.tsx';
import { useDebouncedFilter, useListFilters } from '../../ui/useListFilters.ts';
import { AssetStatusBadge } from './StatusBadge.tsx';
import {
  ASSET_STATUSES,
  ASSET_TYPES,
  type AssetListItem,
  type AssetSort,
  type AssetStatus,
  type AssetType,
} from './types.ts';

const PAGE_SIZE = 25;
const SORTS: readonly string[] = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'make',
  '-make',
  'model',
  '-model',
  'year',
  '-year',
  'status',
  '-status',
];

export interface AssetsTableProps {
  rows: AssetListItem[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort: AssetSort;
  onSortChange: (sort: AssetSort) => void;
  pager?: CursorPager;
  onOpen?: (asset: AssetListItem) => void;
}

/** The asset register, one asset a row, sorted by the server; make and model open the card. */
export function AssetsTable(props: AssetsTableProps) {
  const { t } = useTranslation('assets');
  return (
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
      onSortChange={(sort) => props.onSortChange(sort as AssetSort)}
      empty={t('list.empty')}
      columns={[
        {
          key: 'make',
          header: t('fields.make'),
          sortKey: 'make',
          render: (row) => (
            <Anchor
              component={Link}
              to={`/assets/${row.id}`}
              size="sm"
              onClick={(event) => event.stopPropagation()}
            >
              {row.make}
            </Anchor>
          ),
        },
        { key: 'model', header: t('fields.model'), sortKey: 'model' },
        { key: 'type', header: t('fields.type'), render: (row) => t(`types.${row.type}`) },
        {
          key: 'identification',
          header: t('fields.identification'),
          render: (row) => row.vin ?? row.serialNumber ?? '—',
        },
        { key: 'year', header: t('fields.year'), sortKey: 'year', align: 'right' },
        {
          key: 'price',
          header: t('fields.price'),
          align: 'right',
          render: (row) => formatMoneyValue(row.price),
        },
        {
          key: 'status',
          header: t('fields.status'),
          sortKey: 'status',
          render: (row) => <AssetStatusBadge status={row.status} />,
        },
        {
          key: 'insuredUntil',
          header: t('fields.insuredUntil'),
          render: (row) => (row.insuredUntil ? formatDate(row.insuredUntil) : t('list.notInsured')),
        },
      ]}
    />
  );
}

/** The asset register: searched (make, model, VIN, serial), filtered, sorted and paged by the server. */
export function AssetsListPage() {
  const { t } = useTranslation('assets');
  const { can } = useSession();
  const navigate = useNavigate();
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  const pager = useCursorPager(nextCursor);
  const filters = useListFilters({ onChange: pager.reset });
  const status = filters.oneOf<AssetStatus>('status', ASSET_STATUSES) ?? null;
  const type = filters.oneOf<AssetType>('type', ASSET_TYPES) ?? null;
  const insured = filters.oneOf('insured', ['true', 'false']) ?? null;
  const sort = (filters.oneOf('sort', SORTS) ?? '-createdAt') as AssetSort;
  const { input: searchInput, setInput: setSearchInput, value: search } = useDebouncedFilter(filters, 'q');

  const query = useQuery({
    queryKey: ['assets', 'assets', { search, status, type, insured, sort, cursor: pager.cursor }],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets', {
          params: {
            query: {
              limit: PAGE_SIZE,
              deleted: 'exclude',
              sort,
              ...(search === '' ? {} : { q: search }),
              ...(status ? { status } : {}),
              ...(type ? { type } : {}),
              ...(insured ? { insured: insured === 'true' } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data]);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('list.title')}</Title>
        {can('assets:assets:write') && (
          <Button component={Link} to="/assets/new">
            {t('list.new')}
          </Button>
        )}
      </Group>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput
          label={t('list.search')}
          description={t('list.searchHint')}
          value={searchInput}
          onChange={(event) => setSearchInput(event.currentTarget.value)}
          w={260}
        />
        <Select
          label={t('fields.status')}
          placeholder={t('list.any')}
          clearable
          value={status}
          onChange={(value) => filters.set('status', value)}
          data={ASSET_STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
          w={180}
        />
        <Select
          label={t('fields.type')}
          placeholder={t('list.any')}
          clearable
          value={type}
          onChange={(value) => filters.set('type', value)}
          data={ASSET_TYPES.map((value) => ({ value, label: t(`types.${value}`) }))}
          w={200}
        />
        <Select
          label={t('list.insured')}
          placeholder={t('list.any')}
          clearable
          value={insured}
          onChange={(value) => filters.set('insured', value)}
          data={[
            { value: 'true', label: t('list.insuredYes') },
            { value: 'false', label: t('list.insuredNo') },
          ]}
          w={180}
        />
      </Group>
      <AssetsTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        sort={sort}
        onSortChange={(next) => filters.set('sort', next)}
        pager={pager}
        onOpen={(asset) => void navigate(`/assets/${asset.id}`)}
      />
    </Stack>
  );
}
