import { Badge, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/clients.ts';
import { useSession } from '../auth/useSession.ts';
import { formatDateTime } from '../i18n/format.ts';
import { ActorName } from './ActorName.tsx';
import { DataTable } from './DataTable.tsx';
import { useActorNames } from './useActorNames.ts';
import { usePagedQuery } from './usePagedQuery.ts';

/**
 * The history tab of a card: every recorded change of one entity from the audit service (who, when, what
 * changed). Shown only to users who may read audit records.
 */
export function HistoryTab({ entityType, entityId }: { entityType: string; entityId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { query, pager } = usePagedQuery(
    ['audit', 'records', entityType, entityId],
    (cursor) =>
      unwrap(
        api.audit.GET('/v1/records', {
          params: { query: { entityType, entityId, limit: 25, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    { enabled: can('audit:records:read') },
  );
  // A user audit has no name for (ADR 17) is looked up in sso, as the audit search does.
  const names = useActorNames(
    query.data?.items.filter((row) => row.actorName === null).map((row) => row.actor) ?? [],
  );
  if (!can('audit:records:read')) return null;
  return (
    <DataTable
      caption={t('history.title')}
      rows={query.data?.items}
      rowKey={(row) => row.id}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      empty={t('history.empty')}
      pager={pager}
      columns={[
        { key: 'occurredAt', header: t('history.when'), render: (row) => formatDateTime(row.occurredAt) },
        {
          key: 'actor',
          header: t('history.who'),
          // The name audit knows from sso's user events, else sso's; the id in full on hover.
          render: (row) => (
            <Text size="sm">
              <ActorName actor={row.actor} name={row.actorName ?? names[row.actor]} />
            </Text>
          ),
        },
        {
          key: 'action',
          header: t('history.what'),
          render: (row) => <Badge variant="light">{row.action}</Badge>,
        },
        {
          key: 'changed',
          header: t('history.changes'),
          render: (row) => (row.changed.length > 0 ? <Code>{row.changed.join(', ')}</Code> : '—'),
        },
      ]}
    />
  );
}
