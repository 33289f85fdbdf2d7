import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDate, formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { shortId } from '../../../ui/ids.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { saveCsv } from '../../finance/common/csv.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { NoWrap } from '../NoWrap.tsx';
import {
  EXPORT_STATUSES,
  type ExportEntry,
  type ExportStatus,
  type Reconciliation,
  type ReconciliationPeriod,
} from '../types.ts';

const PAGE_SIZE = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ExportsTableProps {
  rows: ExportEntry[] | undefined;
  loading?: boolean;
  error?: unknown;
  onReload?: () => void;
  pager?: CursorPager;
  /** Offered to who may write, for a refused entry: send it again (after the cause was mended). */
  onRetry?: (entry: ExportEntry) => void;
  retrying?: string | null;
}

/** The journal entries handed to accounting, each with its status and, when refused, the reason. */
export function ExportsTable(props: ExportsTableProps) {
  const { t } = useTranslation('integrations');
  const onRetry = props.onRetry;
  return (
    <DataTable<ExportEntry>
      caption={t('exports.caption')}
      rows={props.rows}
      rowKey={(row) => row.entryId}
      loading={props.loading}
      error={props.error}
      {...(props.onReload ? { onRetry: props.onReload } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      empty={t('exports.empty')}
      columns={[
        {
          key: 'entryId',
          header: t('exports.entry'),
          render: (row) => <span title={row.entryId}>{shortId(row.entryId)}</span>,
        },
        { key: 'legalEntity', header: t('exports.legalEntity') },
        {
          key: 'entryDate',
          header: t('exports.postingDate'),
          render: (row) => <NoWrap>{formatDate(row.entryDate)}</NoWrap>,
        },
        { key: 'description', header: t('exports.description') },
        {
          key: 'status',
          header: t('exports.status'),
          render: (row) => <StatusBadge kind="exportStatus" status={row.status} />,
        },
        { key: 'attempts', header: t('exports.attempts'), align: 'right' },
        {
          key: 'sentAt',
          header: t('exports.sentAt'),
          render: (row) => <NoWrap>{formatDateTime(row.lastSentAt)}</NoWrap>,
        },
        {
          key: 'reason',
          header: t('exports.reason'),
          render: (row) => row.refusal ?? row.lastError ?? '—',
        },
        ...(onRetry
          ? [
              {
                key: 'retry',
                header: '',
                render: (row: ExportEntry) =>
                  row.status === 'refused' ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      loading={props.retrying === row.entryId}
                      disabled={!!props.retrying}
                      aria-label={t('exports.retryFor', { entry: shortId(row.entryId) })}
                      onClick={() => onRetry(row)}
                    >
                      {t('exports.retry')}
                    </Button>
                  ) : null,
              },
            ]
          : []),
      ]}
    />
  );
}

/** The reconciliation per period: entries pending, sent, acknowledged and refused, and why each was refused. */
export function ReconciliationTable({
  report,
  loading,
  error,
  onRetry,
}: {
  report: Reconciliation | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
}) {
  const { t } = useTranslation('integrations');
  return (
    <DataTable<ReconciliationPeriod>
      caption={t('exports.reconciliationCaption')}
      rows={report?.periods}
      rowKey={(row) => row.period}
      loading={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      empty={t('exports.reconciliationEmpty')}
      columns={[
        { key: 'period', header: t('exports.period') },
        { key: 'posted', header: t('exports.posted'), align: 'right' },
        { key: 'pending', header: t('exportStatus.pending'), align: 'right' },
        { key: 'sent', header: t('exportStatus.sent'), align: 'right' },
        { key: 'acknowledged', header: t('exportStatus.acknowledged'), align: 'right' },
        { key: 'refused', header: t('exportStatus.refused'), align: 'right' },
        {
          key: 'refusals',
          header: t('exports.refusals'),
          render: (row) =>
            row.refusals.length === 0 ? (
              '—'
            ) : (
              <Stack gap={2}>
                {row.refusals.map((refusal) => (
                  <Text key={refusal.entryId} size="xs">
                    <span title={refusal.entryId}>{shortId(refusal.entryId)}</span>: {refusal.reason}
                  </Text>
                ))}
              </Stack>
            ),
        },
      ]}
    />
  );
}

/** The first day of this month and today (the local calendar), the period shown when none is chosen. */
export function currentPeriod(today = new Date()): { from: string; to: string } {
  const day = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return { from: day(new Date(today.getFullYear(), today.getMonth(), 1)), to: day(today) };
}

/**
 * `/integrations/exports`: the reconciliation of a period (`?from=&to=`, this month by default) and its
 * journal as CSV for systems without an API; the entries exported to accounting by status, a refused one
 * sent again by who may.
 */
export function ExportsPage() {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const filters = useListFilters();
  const status = filters.oneOf<ExportStatus>('status', EXPORT_STATUSES);
  const fallback = currentPeriod();
  const from = filters.valid('from', (value) => DAY.test(value)) ?? fallback.from;
  const to = filters.valid('to', (value) => DAY.test(value)) ?? fallback.to;
  const period = { from, to };
  const [downloading, setDownloading] = useState(false);
  const { query, pager } = usePagedQuery(['integration', 'exports', { status: status ?? null }], (cursor) =>
    unwrap(
      api.integration.GET('/v1/exports', {
        params: {
          query: { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  const reconciliation = useQuery({
    queryKey: ['integration', 'exports', 'reconciliation', period],
    queryFn: () => unwrap(api.integration.GET('/v1/exports/reconciliation', { params: { query: period } })),
  });
  const retry = useMutation({
    mutationFn: (entry: ExportEntry) =>
      unwrap(
        api.integration.POST('/v1/exports/{entryId}/retry', { params: { path: { entryId: entry.entryId } } }),
      ),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: t('exports.retried'),
        closeButtonProps: { 'aria-label': t('dismiss') },
      });
      await queryClient.invalidateQueries({ queryKey: ['integration', 'exports'] });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        message: errorMessage(error, t('common:states.unreachable')),
        closeButtonProps: { 'aria-label': t('dismiss') },
      }),
  });
  const download = () => {
    setDownloading(true);
    saveCsv(
      () =>
        api.integration.GET('/v1/exports/journal.csv', {
          params: { query: period },
          parseAs: 'blob',
        }) as Promise<{ data?: Blob; error?: unknown; response: Response }>,
      `journal-${from}-${to}.csv`,
    )
      .catch((error: unknown) =>
        notifications.show({
          color: 'red',
          title: t('exports.csvFailed'),
          message: errorMessage(error, t('common:states.unreachable')),
          closeButtonProps: { 'aria-label': t('dismiss') },
        }),
      )
      .finally(() => setDownloading(false));
  };
  return (
    <IntegrationsFrame section="exports">
      <Stack gap="sm">
        <Title order={3}>{t('exports.reconciliation')}</Title>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            type="date"
            label={t('exports.from')}
            value={from}
            onChange={(event) => filters.set('from', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('exports.to')}
            value={to}
            onChange={(event) => filters.set('to', event.currentTarget.value)}
          />
          <Button variant="default" loading={downloading} title={t('exports.csvHint')} onClick={download}>
            {t('exports.csv')}
          </Button>
        </Group>
        <ReconciliationTable
          report={reconciliation.data}
          loading={reconciliation.isPending}
          error={reconciliation.error}
          onRetry={() => void reconciliation.refetch()}
        />
      </Stack>
      <Stack gap="sm">
        <Title order={3}>{t('exports.caption')}</Title>
        <Select
          label={t('exports.status')}
          placeholder={t('any')}
          clearable
          value={status ?? null}
          onChange={(value) => filters.set('status', value)}
          data={EXPORT_STATUSES.map((value) => ({ value, label: t(`exportStatus.${value}`) }))}
          w={200}
        />
        <ExportsTable
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onReload={() => void query.refetch()}
          pager={pager}
          {...(can('integration:exports:write')
            ? { onRetry: (entry: ExportEntry) => retry.mutate(entry) }
            : {})}
          retrying={retry.isPending ? (retry.variables?.entryId ?? null) : null}
        />
      </Stack>
    </IntegrationsFrame>
  );
}
