import { Anchor, Badge, Button, Group, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { NoWrap } from '../NoWrap.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import type { ConnectorListItem } from '../types.ts';

const PAGE_SIZE = 25;

/** Whether a connector is enabled, disabled or deleted, as a coloured word. */
export function ConnectorStateBadge({
  connector,
}: {
  connector: Pick<ConnectorListItem, 'enabled' | 'deletedAt'>;
}) {
  const { t } = useTranslation('integrations');
  if (connector.deletedAt)
    return (
      <Badge color="dark" variant="light" tt="none" miw="max-content">
        {t('connectors.deleted')}
      </Badge>
    );
  return (
    <Badge color={connector.enabled ? 'green' : 'gray'} variant="light" tt="none" miw="max-content">
      {connector.enabled ? t('connectors.enabled') : t('connectors.disabled')}
    </Badge>
  );
}

export interface ConnectorsTableProps {
  rows: ConnectorListItem[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  onOpen?: (connector: ConnectorListItem) => void;
}

/** The connectors, one a row: name (opens the card), kind, protocol, service root, schedule, state. */
export function ConnectorsTable(props: ConnectorsTableProps) {
  const { t } = useTranslation('integrations');
  return (
    <DataTable
      caption={t('connectors.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      {...(props.onOpen ? { onRowClick: props.onOpen } : {})}
      empty={t('connectors.empty')}
      columns={[
        {
          key: 'name',
          header: t('connectors.name'),
          sortValue: (row) => row.name,
          render: (row) => (
            <Anchor
              component={Link}
              to={`/integrations/connectors/${row.id}`}
              size="sm"
              onClick={(event) => event.stopPropagation()}
            >
              {row.name}
            </Anchor>
          ),
        },
        {
          key: 'kind',
          header: t('connectors.kind'),
          render: (row) => <NoWrap>{t(`kind.${row.kind}`)}</NoWrap>,
        },
        {
          key: 'protocol',
          header: t('connectors.protocol'),
          render: (row) => <NoWrap>{t(`protocol.${row.protocol}`)}</NoWrap>,
        },
        {
          key: 'baseUrl',
          header: t('connectors.baseUrl'),
          render: (row) => (
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {row.baseUrl}
            </Text>
          ),
        },
        {
          key: 'schedule',
          header: t('connectors.schedule'),
          render: (row) => (row.schedule ? <NoWrap mono>{row.schedule}</NoWrap> : t('connectors.noSchedule')),
        },
        {
          key: 'lastRun',
          header: t('connectors.lastRun'),
          render: (row) =>
            row.lastRun ? (
              <Anchor
                component={Link}
                to={`/integrations/runs/${row.lastRun.id}`}
                size="sm"
                aria-label={t('connectors.openLastRun', { name: row.name })}
                onClick={(event) => event.stopPropagation()}
              >
                <StatusBadge kind="runStatus" status={row.lastRun.status} />
              </Anchor>
            ) : (
              '—'
            ),
        },
        {
          key: 'nextRunAt',
          header: t('connectors.nextRun'),
          render: (row) => <NoWrap>{row.nextRunAt ? formatDateTime(row.nextRunAt) : '—'}</NoWrap>,
        },
        {
          key: 'watermark',
          header: t('connectors.watermark'),
          render: (row) => (
            <NoWrap>{row.watermark ? formatDateTime(row.watermark) : t('connectors.never')}</NoWrap>
          ),
        },
        {
          key: 'state',
          header: t('connectors.state'),
          render: (row) => <ConnectorStateBadge connector={row} />,
        },
      ]}
    />
  );
}

/** `/integrations`: the connectors (the deleted ones on request), and a new one for who may write. */
export function ConnectorsPage() {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const navigate = useNavigate();
  const filters = useListFilters();
  const deleted = filters.get('deleted') === 'include' ? 'include' : 'exclude';
  const { query, pager } = usePagedQuery(['integration', 'connectors', 'list', { deleted }], (cursor) =>
    unwrap(
      api.integration.GET('/v1/connectors', {
        params: { query: { limit: PAGE_SIZE, deleted, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <IntegrationsFrame
      section="connectors"
      actions={
        can('integration:connectors:write') && (
          <Button component={Link} to="/integrations/connectors/new">
            {t('connectors.new')}
          </Button>
        )
      }
    >
      <Group>
        <Switch
          label={t('connectors.showDeleted')}
          checked={deleted === 'include'}
          onChange={(event) => filters.set('deleted', event.currentTarget.checked ? 'include' : null)}
        />
      </Group>
      <ConnectorsTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        onOpen={(connector) => void navigate(`/integrations/connectors/${connector.id}`)}
      />
    </IntegrationsFrame>
  );
}
