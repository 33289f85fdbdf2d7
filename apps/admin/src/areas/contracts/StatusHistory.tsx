import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/clients.ts';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { ActorName } from '../../ui/ActorName.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';
import { CONTRACT_STATUSES } from './contract-actions.ts';
import { ContractStatusBadge } from './StatusBadge.tsx';
import type { ContractStatus, StatusChange } from './types.ts';

const isStatus = (value: string): value is ContractStatus =>
  (CONTRACT_STATUSES as readonly string[]).includes(value);

/** The contract's status changes as leasing recorded them: from, to, business date, reason, who. */
export function StatusHistoryTable({
  rows,
  loading,
  error,
  onRetry,
}: {
  rows: StatusChange[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
}) {
  const { t } = useTranslation('contracts');
  const names = useActorNames(rows?.map((row) => row.actor) ?? []);
  const status = (value: string) => (isStatus(value) ? <ContractStatusBadge status={value} /> : value || '—');
  return (
    <DataTable
      caption={t('statusHistory.caption')}
      rows={rows}
      rowKey={(row) => `${row.at}-${row.to}`}
      loading={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      empty={t('statusHistory.empty')}
      columns={[
        { key: 'at', header: t('statusHistory.at'), render: (row) => formatDateTime(row.at) },
        { key: 'from', header: t('statusHistory.from'), render: (row) => status(row.from) },
        { key: 'to', header: t('statusHistory.to'), render: (row) => status(row.to) },
        {
          key: 'businessDate',
          header: t('statusHistory.businessDate'),
          render: (row) => formatDate(row.businessDate),
        },
        { key: 'reason', header: t('statusHistory.reason'), render: (row) => row.reason ?? '—' },
        {
          key: 'actor',
          header: t('statusHistory.actor'),
          render: (row) => <ActorName actor={row.actor} name={names[row.actor]} />,
        },
      ]}
    />
  );
}

export function StatusHistory({ contractId }: { contractId: string }) {
  const query = useQuery({
    queryKey: ['leasing', 'contracts', contractId, 'history'],
    queryFn: () =>
      unwrap(api.leasing.GET('/v1/contracts/{id}/history', { params: { path: { id: contractId } } })),
  });
  return (
    <StatusHistoryTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
    />
  );
}
