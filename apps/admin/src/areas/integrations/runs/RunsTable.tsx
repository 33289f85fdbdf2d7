import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { shortId } from '../../../ui/ids.ts';
import { StatusBadge } from '../StatusBadge.tsx';
import { NoWrap } from '../NoWrap.tsx';
import type { Run } from '../types.ts';
import { RunProgressCell } from './RunProgress.tsx';

export interface RunsTableProps {
  rows: Run[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  /** The connector's name by its id; without it (one connector's runs) the column is left out. */
  connectorName?: (id: string) => string | null;
  onOpen?: (run: Run) => void;
}

/** Runs, newest first: when, connector, mode, status, progress and the counts of the report. */
export function RunsTable(props: RunsTableProps) {
  const { t } = useTranslation('integrations');
  const nameOf = props.connectorName;
  return (
    <DataTable<Run>
      caption={t('runs.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      {...(props.onOpen ? { onRowClick: props.onOpen } : {})}
      empty={t('runs.empty')}
      columns={[
        {
          key: 'startedAt',
          header: t('runs.startedAt'),
          render: (row) => (
            <Anchor
              component={Link}
              to={`/integrations/runs/${row.id}`}
              size="sm"
              aria-label={`${t('runs.open')} ${formatDateTime(row.startedAt ?? row.queuedAt)}`}
              onClick={(event) => event.stopPropagation()}
            >
              <NoWrap>{formatDateTime(row.startedAt ?? row.queuedAt)}</NoWrap>
            </Anchor>
          ),
        },
        ...(nameOf
          ? [
              {
                key: 'connector',
                header: t('runs.connector'),
                render: (row: Run) => (
                  <span title={row.connectorId}>{nameOf(row.connectorId) ?? shortId(row.connectorId)}</span>
                ),
              },
            ]
          : []),
        { key: 'mode', header: t('runs.mode'), render: (row) => t(`mode.${row.mode}`) },
        { key: 'trigger', header: t('runs.trigger'), render: (row) => t(`trigger.${row.trigger}`) },
        {
          key: 'status',
          header: t('runs.status'),
          render: (row) => <StatusBadge kind="runStatus" status={row.status} />,
        },
        { key: 'progress', header: t('runs.progress'), render: (row) => <RunProgressCell run={row} /> },
        { key: 'read', header: t('runs.read'), align: 'right' },
        { key: 'created', header: t('outcome.created'), align: 'right' },
        { key: 'updated', header: t('outcome.updated'), align: 'right' },
        { key: 'unchanged', header: t('outcome.unchanged'), align: 'right' },
        { key: 'conflicts', header: t('outcome.conflict'), align: 'right' },
        { key: 'duplicates', header: t('outcome.duplicate'), align: 'right' },
        { key: 'errors', header: t('outcome.error'), align: 'right' },
      ]}
    />
  );
}
