import { Alert, Anchor, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { shortId } from '../../../ui/ids.ts';
import { QueryState } from '../../../ui/QueryState.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { useConnectors } from '../connectors/useConnectors.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { NoWrap } from '../NoWrap.tsx';
import { RUN_OUTCOMES, runUnderWay, type Run, type RunOutcome, type RunRecord } from '../types.ts';
import { RunCounts, RunProgress } from './RunProgress.tsx';
import { POLL_MS } from './useRuns.ts';

const RECORDS_PAGE = 50;

/** The records of a run with their outcome and reason, filtered by outcome (`?outcome=`), paged. */
export function RunRecords({ run }: { run: Pick<Run, 'id' | 'status'> }) {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const filters = useListFilters();
  const outcome = filters.oneOf<RunOutcome>('outcome', RUN_OUTCOMES);
  const underWay = runUnderWay(run);
  const { query, pager } = usePagedQuery(
    ['integration', 'runs', run.id, 'records', { outcome: outcome ?? null }],
    (cursor) =>
      unwrap(
        api.integration.GET('/v1/runs/{id}/records', {
          params: {
            path: { id: run.id },
            query: { limit: RECORDS_PAGE, ...(outcome ? { outcome } : {}), ...(cursor ? { cursor } : {}) },
          },
        }),
      ),
  );
  // While the run goes on, its first page of records grows: asked again with the run, and once more at its end.
  const { refetch } = query;
  const onFirstPage = pager.page === 1;
  const wasUnderWay = useRef(underWay);
  useEffect(() => {
    const ended = wasUnderWay.current && !underWay;
    wasUnderWay.current = underWay;
    if (!onFirstPage) return undefined;
    if (ended) void refetch();
    if (!underWay) return undefined;
    const timer = setInterval(() => void refetch(), POLL_MS);
    return () => clearInterval(timer);
  }, [underWay, onFirstPage, refetch]);
  const canOpenParty = can('parties:parties:read');
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={t('runs.filterOutcome')}
        value={outcome ?? 'all'}
        onChange={(value) => filters.set('outcome', value === 'all' ? null : value)}
        data={[
          { value: 'all', label: t('runs.all') },
          ...RUN_OUTCOMES.map((value) => ({ value, label: t(`outcome.${value}`) })),
        ]}
        style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
      />
      <DataTable<RunRecord>
        caption={t('runs.recordsCaption')}
        rows={query.data?.items}
        rowKey={(row) => String(row.seq)}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        empty={outcome ? t('runs.recordsEmpty') : t('runs.recordsNone')}
        columns={[
          { key: 'seq', header: t('runs.seq'), align: 'right' },
          {
            key: 'remoteId',
            header: t('runs.remoteId'),
            render: (row) => <NoWrap mono>{row.remoteId}</NoWrap>,
          },
          {
            key: 'outcome',
            header: t('runs.outcomeLabel'),
            render: (row) => <StatusBadge kind="outcome" status={row.outcome} />,
          },
          {
            key: 'party',
            header: t('runs.party'),
            render: (row) =>
              row.partyId === null ? (
                '—'
              ) : canOpenParty ? (
                <Anchor component={Link} to={`/parties/${row.partyId}`} size="sm" title={row.partyId}>
                  {shortId(row.partyId)}
                </Anchor>
              ) : (
                <span title={row.partyId}>{shortId(row.partyId)}</span>
              ),
          },
          { key: 'reason', header: t('runs.reason'), render: (row) => row.reason ?? '—' },
        ]}
      />
    </Stack>
  );
}

/** A run as it stands: status, progress bar, the counts of its report, its error, its records. */
export function RunView({ run, connectorName }: { run: Run; connectorName: string | null }) {
  const { t } = useTranslation('integrations');
  const name = connectorName ?? shortId(run.connectorId);
  return (
    <Stack gap="md">
      <Group gap="sm" wrap="wrap">
        <Title order={3}>{t('runs.title', { connector: name })}</Title>
        <StatusBadge kind="runStatus" status={run.status} />
      </Group>
      <Text size="sm" c="dimmed">
        {t('runs.meta', {
          mode: t(`mode.${run.mode}`),
          trigger: t(`trigger.${run.trigger}`),
          at: formatDateTime(run.startedAt ?? run.queuedAt),
        })}
        {run.finishedAt ? ` · ${t('runs.finished', { at: formatDateTime(run.finishedAt) })}` : ''}
      </Text>
      {(run.watermarkFrom || run.watermarkTo) && (
        <Text size="sm" c="dimmed">
          {run.watermarkFrom && run.watermarkTo
            ? t('runs.watermark', {
                from: formatDateTime(run.watermarkFrom),
                to: formatDateTime(run.watermarkTo),
              })
            : run.watermarkFrom
              ? t('runs.watermarkSince', { from: formatDateTime(run.watermarkFrom) })
              : t('runs.watermarkUpTo', { to: formatDateTime(run.watermarkTo) })}
        </Text>
      )}
      <RunProgress run={run} />
      <RunCounts run={run} />
      {run.error && (
        <Alert color="red" role="alert" title={t('runs.error')}>
          {run.error}
        </Alert>
      )}
      <RunRecords run={run} />
    </Stack>
  );
}

/** `/integrations/runs/:id`: one run, asked again every second while it is under way. */
export function RunPage() {
  const { t } = useTranslation('integrations');
  const { id = '' } = useParams();
  const { nameOf } = useConnectors();
  const query = useQuery({
    queryKey: ['integration', 'runs', id],
    queryFn: () => unwrap(api.integration.GET('/v1/runs/{id}', { params: { path: { id } } })),
    refetchInterval: (current) => (current.state.data && !runUnderWay(current.state.data) ? false : POLL_MS),
  });
  return (
    <IntegrationsFrame section="runs">
      <Anchor component={Link} to="/integrations/runs" size="sm">
        {t('runs.back')}
      </Anchor>
      <QueryState query={query} isEmpty={() => false}>
        {(run) => <RunView run={run} connectorName={nameOf(run.connectorId)} />}
      </QueryState>
    </IntegrationsFrame>
  );
}
