import { Anchor, Group, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDate, formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { shortId } from '../../../ui/ids.ts';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { useConnectors } from '../connectors/useConnectors.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { NoWrap } from '../NoWrap.tsx';
import { OUTBOUND_STATUSES, type OutboundEntry, type OutboundStatus } from '../types.ts';

const PAGE_SIZE = 50;

export interface OutboundTableProps {
  rows: OutboundEntry[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  connectorName?: (id: string) => string | null;
  canOpenContract?: boolean;
}

/**
 * What Lessor told the CRMs: when, which contract and what of it (signed, active, terminated on a date), the
 * CRM and its record, the outcome, the attempts and, for a refusal or failure, the CRM's status and reason.
 */
export function OutboundTable(props: OutboundTableProps) {
  const { t } = useTranslation('integrations');
  return (
    <DataTable<OutboundEntry>
      caption={t('outbound.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      empty={t('outbound.empty')}
      columns={[
        {
          key: 'at',
          header: t('outbound.at'),
          render: (row) => <NoWrap>{formatDateTime(row.updatedAt)}</NoWrap>,
        },
        {
          key: 'contract',
          header: t('outbound.contract'),
          render: (row) =>
            props.canOpenContract ? (
              <Anchor component={Link} to={`/contracts/${row.contractId}`} size="sm">
                <NoWrap>{row.contractNumber}</NoWrap>
              </Anchor>
            ) : (
              <NoWrap>{row.contractNumber}</NoWrap>
            ),
        },
        {
          key: 'told',
          header: t('outbound.told'),
          render: (row) =>
            `${t(`contractStatus.${row.contractStatus}`, { defaultValue: row.contractStatus })} · ${formatDate(row.statusDate)}`,
        },
        {
          key: 'connector',
          header: t('outbound.connector'),
          render: (row) =>
            row.connectorId === null ? (
              '—'
            ) : (
              <span title={row.connectorId}>
                {props.connectorName?.(row.connectorId) ?? shortId(row.connectorId)}
              </span>
            ),
        },
        {
          key: 'remoteId',
          header: t('outbound.remoteId'),
          render: (row) => <NoWrap mono>{row.remoteId ?? '—'}</NoWrap>,
        },
        {
          key: 'status',
          header: t('outbound.status'),
          render: (row) => <StatusBadge kind="outboundStatus" status={row.status} />,
        },
        { key: 'attempts', header: t('outbound.attempts'), align: 'right' },
        {
          key: 'reason',
          header: t('outbound.reason'),
          render: (row) =>
            row.reason === null && row.httpStatus === null
              ? '—'
              : [row.httpStatus === null ? null : `HTTP ${row.httpStatus}`, row.reason]
                  .filter(Boolean)
                  .join(' · '),
        },
      ]}
    />
  );
}

/** `/integrations/outbound`: the outbound log, by status; a parked update is replayed on the parked events page. */
export function OutboundPage() {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const filters = useListFilters();
  const status = filters.oneOf<OutboundStatus>('status', OUTBOUND_STATUSES);
  const { nameOf } = useConnectors();
  const { query, pager } = usePagedQuery(['integration', 'outbound', { status: status ?? null }], (cursor) =>
    unwrap(
      api.integration.GET('/v1/outbound', {
        params: {
          query: { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  return (
    <IntegrationsFrame section="outbound">
      <Group align="flex-end" wrap="wrap" gap="sm" justify="space-between">
        <Select
          label={t('outbound.status')}
          placeholder={t('any')}
          clearable
          value={status ?? null}
          onChange={(value) => filters.set('status', value)}
          data={OUTBOUND_STATUSES.map((value) => ({ value, label: t(`outboundStatus.${value}`) }))}
          w={200}
        />
        {can('integration:events:read') && (
          <Text size="sm" c="dimmed" maw={520}>
            {t('outbound.parkedHint')}{' '}
            <Anchor component={Link} to="/administration/events?service=integration" size="sm">
              {t('outbound.parkedLink')}
            </Anchor>
          </Text>
        )}
      </Group>
      <OutboundTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        connectorName={nameOf}
        canOpenContract={can('leasing:contracts:read')}
      />
    </IntegrationsFrame>
  );
}
