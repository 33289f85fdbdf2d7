import { Anchor, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { shortId } from '../../../ui/ids.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { useConnectors } from '../connectors/useConnectors.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import type { Conflict, Resolution } from '../types.ts';
import { NoWrap } from '../NoWrap.tsx';

const PAGE_SIZE = 50;

function Value({ value }: { value: string | null }) {
  const { t } = useTranslation('integrations');
  return value === null || value === '' ? (
    <Text size="sm" c="dimmed" fs="italic">
      {t('conflicts.empty_value')}
    </Text>
  ) : (
    <Text size="sm" miw="10rem" style={{ wordBreak: 'break-word' }}>
      {value}
    </Text>
  );
}

export interface ConflictsTableProps {
  rows: Conflict[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  connectorName?: (id: string) => string | null;
  canOpenParty?: boolean;
  /** Offered only to who may resolve: takes the CRM's value or keeps Lessor's. */
  onResolve?: (conflict: Conflict, resolution: Resolution) => void;
  /** The conflict being resolved (its buttons wait). */
  resolving?: string | null;
}

/** Open conflicts: which record and field, Lessor's value beside the CRM's, and the two ways to settle it. */
export function ConflictsTable(props: ConflictsTableProps) {
  const { t } = useTranslation('integrations');
  const onResolve = props.onResolve;
  return (
    <DataTable<Conflict>
      caption={t('conflicts.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      empty={t('conflicts.empty')}
      columns={[
        {
          key: 'connector',
          header: t('conflicts.connector'),
          render: (row) => (
            <span title={row.connectorId}>
              {props.connectorName?.(row.connectorId) ?? shortId(row.connectorId)}
            </span>
          ),
        },
        {
          key: 'party',
          header: t('conflicts.party'),
          render: (row) =>
            props.canOpenParty ? (
              <Anchor component={Link} to={`/parties/${row.partyId}`} size="sm" title={row.partyId}>
                {shortId(row.partyId)}
              </Anchor>
            ) : (
              <span title={row.partyId}>{shortId(row.partyId)}</span>
            ),
        },
        {
          key: 'remoteId',
          header: t('conflicts.remoteId'),
          // A CRM's keys can be long (a GUID): broken anywhere, so the resolve buttons stay in view.
          render: (row) => (
            <Text size="sm" ff="monospace" maw="13rem" style={{ wordBreak: 'break-all' }}>
              {row.remoteId}
            </Text>
          ),
        },
        { key: 'field', header: t('conflicts.field'), render: (row) => t(`conflictField.${row.field}`) },
        {
          key: 'lessorValue',
          header: t('conflicts.lessorValue'),
          render: (row) => <Value value={row.lessorValue} />,
        },
        { key: 'crmValue', header: t('conflicts.crmValue'), render: (row) => <Value value={row.crmValue} /> },
        {
          key: 'detectedAt',
          header: t('conflicts.detectedAt'),
          render: (row) => <NoWrap>{formatDateTime(row.raisedAt)}</NoWrap>,
        },
        ...(onResolve
          ? [
              {
                key: 'resolve',
                header: '',
                render: (row: Conflict) => (
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="light"
                      disabled={!!props.resolving}
                      loading={props.resolving === `${row.id}:take-crm`}
                      aria-label={t('conflicts.takeCrmFor', {
                        field: t(`conflictField.${row.field}`),
                        remoteId: row.remoteId,
                      })}
                      onClick={() => onResolve(row, 'take-crm')}
                    >
                      {t('conflicts.takeCrm')}
                    </Button>
                    <Button
                      size="compact-sm"
                      variant="default"
                      disabled={!!props.resolving}
                      loading={props.resolving === `${row.id}:keep-lessor`}
                      aria-label={t('conflicts.keepLessorFor', {
                        field: t(`conflictField.${row.field}`),
                        remoteId: row.remoteId,
                      })}
                      onClick={() => onResolve(row, 'keep-lessor')}
                    >
                      {t('conflicts.keepLessor')}
                    </Button>
                  </Group>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** `/integrations/conflicts`: the open conflicts, each resolved by taking the CRM's value or keeping Lessor's. */
export function ConflictsPage() {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { nameOf } = useConnectors();
  const { query, pager } = usePagedQuery(['integration', 'conflicts', { status: 'open' }], (cursor) =>
    unwrap(
      api.integration.GET('/v1/conflicts', {
        params: { query: { limit: PAGE_SIZE, status: 'open', ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  const resolve = useMutation({
    mutationFn: ({ conflict, resolution }: { conflict: Conflict; resolution: Resolution }) =>
      unwrap(
        api.integration.POST('/v1/conflicts/{id}/resolve', {
          params: { path: { id: conflict.id } },
          body: { resolution },
        }),
      ),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: t('conflicts.resolved'),
        closeButtonProps: { 'aria-label': t('dismiss') },
      });
      await queryClient.invalidateQueries({ queryKey: ['integration', 'conflicts'] });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        message: errorMessage(error, t('common:states.unreachable')),
        closeButtonProps: { 'aria-label': t('dismiss') },
      }),
  });
  const pending =
    resolve.isPending && resolve.variables
      ? `${resolve.variables.conflict.id}:${resolve.variables.resolution}`
      : null;
  return (
    <IntegrationsFrame section="conflicts">
      <Text size="sm" c="dimmed">
        {t('conflicts.intro')}
      </Text>
      <ConflictsTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        connectorName={nameOf}
        canOpenParty={can('parties:parties:read')}
        {...(can('integration:conflicts:write')
          ? { onResolve: (conflict, resolution) => resolve.mutate({ conflict, resolution }) }
          : {})}
        resolving={pending}
      />
    </IntegrationsFrame>
  );
}
