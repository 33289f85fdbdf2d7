import { Badge, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../api/schema/audit.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../ui/DataTable.tsx';
import { actorLabel, shortId, subjectLabel } from './audit-labels.ts';

/** One record of the audit trail, as `GET /v1/records/{id}` answers it. */
export type AuditRecord = paths['/v1/records/{id}']['get']['responses'][200]['content']['application/json'];

/** The search's result: one row per record, newest first (the API's order); a row opens the record. */
export function AuditRecordsTable({
  records,
  loading,
  error,
  onRetry,
  pager,
  onOpen,
  actorNames = {},
}: {
  records: AuditRecord[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  pager: CursorPager;
  onOpen: (record: AuditRecord) => void;
  /** Names looked up in sso for actors audit has no name of (user ids). */
  actorNames?: Record<string, string>;
}) {
  const { t } = useTranslation('audit');
  return (
    <DataTable
      caption={t('table.caption')}
      rows={records}
      rowKey={(row) => row.id}
      loading={loading}
      error={error}
      onRetry={onRetry}
      empty={t('table.empty')}
      pager={pager}
      onRowClick={onOpen}
      columns={[
        {
          key: 'occurredAt',
          header: t('table.when'),
          render: (row) => <Text size="sm">{formatDateTime(row.occurredAt)}</Text>,
        },
        { key: 'service', header: t('table.service') },
        {
          key: 'entity',
          header: t('table.entity'),
          render: (row) => {
            const subject = subjectLabel(row);
            return (
              <Text size="sm" title={row.entityId}>
                {row.entityType} {subject ?? <Code>{shortId(row.entityId)}</Code>}
              </Text>
            );
          },
        },
        {
          key: 'action',
          header: t('table.action'),
          render: (row) => (
            <Badge variant="light" miw="max-content">
              {row.action}
            </Badge>
          ),
        },
        {
          key: 'actor',
          header: t('table.actor'),
          render: (row) => (
            <Text size="sm" title={row.actor}>
              {actorLabel(row, actorNames[row.actor])}
            </Text>
          ),
        },
        {
          key: 'changed',
          header: t('table.changed'),
          render: (row) => (row.changed.length > 0 ? <Text size="sm">{row.changed.join(', ')}</Text> : '—'),
        },
      ]}
    />
  );
}
