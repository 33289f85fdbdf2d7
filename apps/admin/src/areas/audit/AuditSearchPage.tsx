import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { AuditFilters, NO_FILTERS, type AuditFilterValues } from './AuditFilters.tsx';
import { AuditRecordsTable } from './AuditRecordsTable.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';

const PAGE_SIZE = 50;
const FILTER_NAMES = Object.keys(NO_FILTERS) as (keyof AuditFilterValues)[];

/** The filters in the URL, so a search can be linked to (`/audit?entityType=party&entityId=…`). */
function filtersFrom(params: URLSearchParams): AuditFilterValues {
  const values = { ...NO_FILTERS };
  for (const name of FILTER_NAMES) values[name] = params.get(name) ?? '';
  return values;
}

/** The global audit search: filters in the URL; a new search starts again at the first page. */
export function AuditSearchPage() {
  const [params, setParams] = useSearchParams();
  const onSearch = (values: AuditFilterValues) => {
    const next = new URLSearchParams();
    for (const name of FILTER_NAMES) if (values[name] !== '') next.set(name, values[name]);
    setParams(next);
  };
  // Keyed by the search: the form shows it and the pager starts at page 1 whenever it changes.
  return <AuditSearch key={params.toString()} filters={filtersFrom(params)} onSearch={onSearch} />;
}

function AuditSearch({
  filters,
  onSearch,
}: {
  filters: AuditFilterValues;
  onSearch: (values: AuditFilterValues) => void;
}) {
  const { t } = useTranslation('audit');
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { query, pager } = usePagedQuery(['audit', 'records', 'search', filters], (cursor) => {
    const filled = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== ''));
    return unwrap(
      api.audit.GET('/v1/records', {
        params: { query: { limit: PAGE_SIZE, ...filled, ...(cursor ? { cursor } : {}) } },
      }),
    );
  });
  const actorNames = useActorNames(
    query.data?.items.filter((record) => record.actorName === null).map((record) => record.actor) ?? [],
  );
  const fieldErrors = query.error instanceof ApiError ? formFieldErrors(query.error.problem) : {};

  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Text c="dimmed">{t('intro')}</Text>
      <AuditFilters values={filters} onSearch={onSearch} errors={fieldErrors} />
      <AuditRecordsTable
        records={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        actorNames={actorNames}
        onOpen={(record) =>
          void navigate(`/audit/${record.id}`, { state: { search: `?${searchParams.toString()}` } })
        }
      />
    </Stack>
  );
}
