import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { BillingFrame } from '../BillingFrame.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { importPercent } from './ImportReport.tsx';

/** The bank statement imports, newest first (billing:payments:read). */
export function ImportsPage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const { query, pager } = usePagedQuery(['billing', 'imports', 'list'], (cursor) =>
    unwrap(
      api.billing.GET('/v1/imports', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }),
    ),
  );
  return (
    <BillingFrame section="imports">
      <Stack gap="sm">
        <Title order={3}>{t('imports.title')}</Title>
        <DataTable
          caption={t('imports.title')}
          rows={query.data?.items}
          rowKey={(row) => row.id}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          pager={pager}
          empty={t('imports.empty')}
          onRowClick={(row) => void navigate(`/billing/imports/${row.id}`)}
          columns={[
            {
              key: 'createdAt',
              header: t('imports.startedAt'),
              render: (row) => formatDateTime(row.createdAt),
            },
            { key: 'fileName', header: t('imports.file'), render: (row) => row.fileName ?? '—' },
            {
              key: 'format',
              header: t('import.format'),
              render: (row) => (row.format === 'csv' ? t('import.formatCsv') : t('import.formatCamt')),
            },
            {
              key: 'status',
              header: t('imports.status'),
              render: (row) =>
                row.status === 'running' ? (
                  `${importPercent(row.linesDone, row.linesTotal)} %`
                ) : (
                  <StatusBadge kind="import" status={row.status} />
                ),
            },
            { key: 'linesTotal', header: t('imports.lines'), align: 'right' },
            { key: 'matched', header: t('import.outcome.matched'), align: 'right' },
            { key: 'unmatched', header: t('import.outcome.unmatched'), align: 'right' },
            { key: 'refused', header: t('import.outcome.refused'), align: 'right' },
            { key: 'skipped', header: t('import.outcome.skipped'), align: 'right' },
            {
              key: 'finishedAt',
              header: t('imports.finishedAt'),
              render: (row) => formatDateTime(row.finishedAt),
            },
          ]}
        />
      </Stack>
    </BillingFrame>
  );
}
