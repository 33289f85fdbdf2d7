import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { DataTable, useCursorPager } from '../../ui/DataTable.tsx';
import { useDebouncedFilter, useListFilters } from '../../ui/useListFilters.ts';
import { countryName, countryOptions } from './countries.ts';
import { DeletedBadge, KycBadge } from './PartyBadges.tsx';
import {
  KYC_STATUSES,
  PARTY_KINDS,
  type DeletedFilter,
  type KycStatus,
  type Party,
  type PartyKind,
  type PartySort,
} from './types.ts';

/** The list's filters and sort, kept in the address so a link or the back button shows the same list. */
export interface PartyFilters {
  q: string;
  kind: PartyKind | undefined;
  country: string | undefined;
  kycStatus: KycStatus | undefined;
  deleted: DeletedFilter;
  sort: PartySort;
}

const DELETED: readonly DeletedFilter[] = ['exclude', 'include', 'only'];
const SORTS: readonly string[] = ['name', 'createdAt', 'updatedAt', 'country'].flatMap((key) => [
  key,
  `-${key}`,
]);
const PAGE_SIZE = 25;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

export function filtersOf(params: URLSearchParams): PartyFilters {
  return {
    q: params.get('q') ?? '',
    kind: oneOf(params.get('kind'), PARTY_KINDS),
    country: params.get('country') ?? undefined,
    kycStatus: oneOf(params.get('kycStatus'), KYC_STATUSES),
    deleted: oneOf(params.get('deleted'), DELETED) ?? 'exclude',
    sort: (oneOf(params.get('sort'), SORTS) ?? 'name') as PartySort,
  };
}

/** The parties list: search, filters, server-side sort and cursor paging. */
export function PartiesPage() {
  const { t, i18n } = useTranslation('parties');
  const { can } = useSession();
  const navigate = useNavigate();
  const list = useListFilters();
  const filters = filtersOf(list.params);
  const { input: search, setInput: setSearch } = useDebouncedFilter(list, 'q');
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        {can('parties:parties:write') && (
          <Button onClick={() => void navigate('/parties/new')}>{t('newParty')}</Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
        <TextInput
          label={t('filters.search')}
          placeholder={t('filters.searchPlaceholder')}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <Select
          label={t('filters.kind')}
          placeholder={t('filters.any')}
          clearable
          data={PARTY_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))}
          value={filters.kind ?? null}
          onChange={(value) => list.set('kind', value)}
        />
        <Select
          label={t('filters.country')}
          placeholder={t('filters.any')}
          clearable
          searchable
          data={countries}
          value={filters.country ?? null}
          onChange={(value) => list.set('country', value)}
        />
        <Select
          label={t('filters.kycStatus')}
          placeholder={t('filters.any')}
          clearable
          data={KYC_STATUSES.map((status) => ({ value: status, label: t(`kyc.${status}`) }))}
          value={filters.kycStatus ?? null}
          onChange={(value) => list.set('kycStatus', value)}
        />
        <Select
          label={t('filters.deleted')}
          allowDeselect={false}
          data={DELETED.map((value) => ({ value, label: t(`deleted.${value}`) }))}
          value={filters.deleted}
          onChange={(value) => list.set('deleted', value === 'exclude' ? null : value)}
        />
      </SimpleGrid>
      {/* A new filter or sort starts again at the first page: the cursor belongs to the old one. */}
      <PartiesList
        key={JSON.stringify(filters)}
        filters={filters}
        onSortChange={(sort) => list.set('sort', sort === 'name' ? null : sort)}
      />
    </Stack>
  );
}

function PartiesList({
  filters,
  onSortChange,
}: {
  filters: PartyFilters;
  onSortChange: (sort: string) => void;
}) {
  const navigate = useNavigate();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const pager = useCursorPager(nextCursor);
  const query = useQuery({
    queryKey: ['parties', 'list', filters, pager.cursor],
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties', {
          params: {
            query: {
              limit: PAGE_SIZE,
              deleted: filters.deleted,
              sort: filters.sort,
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.kind ? { kind: filters.kind } : {}),
              ...(filters.country ? { country: filters.country } : {}),
              ...(filters.kycStatus ? { kycStatus: filters.kycStatus } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
  });
  // The next page is the one the shown page names (also when it came from the cache).
  useEffect(() => setNextCursor(query.data?.nextCursor ?? null), [query.data]);

  return (
    <PartiesTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      sort={filters.sort}
      onSortChange={onSortChange}
      onOpen={(party) => void navigate(`/parties/${party.id}`)}
      pager={pager}
    />
  );
}

export interface PartiesTableProps {
  rows: Party[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort: string;
  onSortChange: (sort: string) => void;
  onOpen: (party: Party) => void;
  pager?: ReturnType<typeof useCursorPager>;
}

/** The parties as a table sorted by the server; a row opens the party's card. */
export function PartiesTable(props: PartiesTableProps) {
  const { t, i18n } = useTranslation('parties');
  return (
    <DataTable
      caption={t('tableCaption')}
      rows={props.rows}
      rowKey={(party) => party.id}
      loading={props.loading ?? false}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      empty={t('empty')}
      sort={props.sort}
      onSortChange={props.onSortChange}
      onRowClick={props.onOpen}
      {...(props.pager ? { pager: props.pager } : {})}
      columns={[
        {
          key: 'name',
          header: t('columns.name'),
          sortKey: 'name',
          render: (party) => (
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={500}>
                {party.name}
              </Text>
              {party.deletedAt && <DeletedBadge />}
            </Group>
          ),
        },
        { key: 'kind', header: t('columns.kind'), render: (party) => t(`kind.${party.kind}`) },
        {
          key: 'country',
          header: t('columns.country'),
          sortKey: 'country',
          render: (party) => countryName(party.country, i18n.language),
        },
        { key: 'taxId', header: t('columns.taxId'), render: (party) => party.taxId ?? '—' },
        {
          key: 'kycStatus',
          header: t('columns.kycStatus'),
          render: (party) => <KycBadge status={party.kycStatus} />,
        },
        {
          key: 'createdAt',
          header: t('columns.createdAt'),
          sortKey: 'createdAt',
          render: (party) => formatDateTime(party.createdAt),
        },
        {
          key: 'updatedAt',
          header: t('columns.updatedAt'),
          sortKey: 'updatedAt',
          render: (party) => formatDateTime(party.updatedAt),
        },
      ]}
    />
  );
}
