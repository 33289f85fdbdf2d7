import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { Facts } from '../../../ui/Facts.tsx';
import { QueryState } from '../../../ui/QueryState.tsx';
import { ConfirmDialog } from '../../parties/ConfirmDialog.tsx';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { RunNowButton } from '../runs/RunNowButton.tsx';
import { RunsTable } from '../runs/RunsTable.tsx';
import { useRuns } from '../runs/useRuns.ts';
import type { Connector } from '../types.ts';
import { ConnectionTestButton, ConnectionTestOutcome, useConnectionTest } from './ConnectionTest.tsx';
import { ConnectorStateBadge } from './ConnectorsPage.tsx';

/** A connector's settings as facts. Its credentials show only as "set" or "not set", never themselves. */
export function ConnectorDetails({ connector }: { connector: Connector }) {
  const { t } = useTranslation('integrations');
  const auth = connector.auth;
  const authText =
    auth.kind === 'basic'
      ? `${t('authKind.basic')} · ${auth.username}`
      : auth.kind === 'oauth2'
        ? `${t('authKind.oauth2')} · ${auth.clientId} · ${auth.tokenUrl}`
        : t('authKind.none');
  return (
    <Facts
      items={[
        [t('connectors.kind'), t(`kind.${connector.kind}`)],
        [t('connectors.protocol'), t(`protocol.${connector.protocol}`)],
        [
          t('connectors.baseUrl'),
          <Text key="url" component="span" size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {connector.baseUrl}
          </Text>,
        ],
        [t('connectors.auth'), authText],
        [
          t('connectors.credentials'),
          connector.credentialsSet ? t('connectors.credentialsSet') : t('connectors.credentialsNotSet'),
        ],
        [t('connectors.mapping'), t(`preset.${connector.mapping.preset}`)],
        [t('connectors.schedule'), connector.schedule ?? t('connectors.noSchedule')],
        [t('connectors.nextRun'), connector.nextRunAt ? formatDateTime(connector.nextRunAt) : '—'],
        [
          t('connectors.watermark'),
          connector.watermark ? formatDateTime(connector.watermark) : t('connectors.never'),
        ],
      ]}
    />
  );
}

/** The runs of one connector, polled while one is under way. */
function ConnectorRuns({ connectorId }: { connectorId: string }) {
  const navigate = useNavigate();
  const { query, pager } = useRuns({ connectorId });
  return (
    <RunsTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      pager={pager}
      onOpen={(run) => void navigate(`/integrations/runs/${run.id}`)}
    />
  );
}

/**
 * A connector's card: its settings, the connection test, "Run now", enable/disable, delete/restore (for who
 * may write), and its runs (for who may read them).
 */
export function ConnectorCard({ connector }: { connector: Connector }) {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const test = useConnectionTest(connector.id);
  const canWrite = can('integration:connectors:write');
  const deleted = connector.deletedAt !== null;
  const ifMatch = `"${connector.version}"`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['integration', 'connectors'] });
  const notify = (message: string) =>
    notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': t('dismiss') } });
  const failed = (error: unknown) =>
    notifications.show({
      color: 'red',
      message: error instanceof Error ? error.message : String(error),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });

  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      unwrap(
        api.integration.PATCH('/v1/connectors/{id}', {
          params: { path: { id: connector.id }, header: { 'if-match': ifMatch } },
          body: { enabled },
        }),
      ),
    onSuccess: async (_, enabled) => {
      notify(enabled ? t('card.enabledNow') : t('card.disabledNow'));
      await refresh();
    },
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.integration.DELETE('/v1/connectors/{id}', {
          params: { path: { id: connector.id }, header: { 'if-match': ifMatch } },
        }),
      ),
    onSuccess: async () => {
      setConfirmDelete(false);
      notify(t('card.deletedNow'));
      await refresh();
    },
  });
  const restore = useMutation({
    mutationFn: () =>
      unwrap(api.integration.POST('/v1/connectors/{id}/restore', { params: { path: { id: connector.id } } })),
    onSuccess: async () => {
      notify(t('card.restoredNow'));
      await refresh();
    },
    onError: failed,
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Title order={3}>{t('card.title', { name: connector.name })}</Title>
          <ConnectorStateBadge connector={connector} />
        </Group>
        {canWrite && (
          <Group gap="xs" wrap="wrap">
            {deleted ? (
              <Button variant="default" loading={restore.isPending} onClick={() => restore.mutate()}>
                {t('card.restore')}
              </Button>
            ) : (
              <>
                {can('integration:runs:write') && (
                  <RunNowButton connectorId={connector.id} disabled={!connector.enabled} />
                )}
                <Button
                  variant="default"
                  component={Link}
                  to={`/integrations/connectors/${connector.id}/edit`}
                >
                  {t('card.edit')}
                </Button>
                <Button
                  variant="default"
                  loading={toggle.isPending}
                  onClick={() => toggle.mutate(!connector.enabled)}
                >
                  {connector.enabled ? t('card.disable') : t('card.enable')}
                </Button>
                <Button variant="default" color="red" onClick={() => setConfirmDelete(true)}>
                  {t('card.delete')}
                </Button>
              </>
            )}
          </Group>
        )}
        {!canWrite && !deleted && can('integration:runs:write') && (
          <RunNowButton connectorId={connector.id} disabled={!connector.enabled} />
        )}
      </Group>
      {deleted && (
        <Alert color="gray" role="status">
          {t('card.deletedNote', { at: formatDateTime(connector.deletedAt) })}
        </Alert>
      )}
      <Card withBorder padding="md">
        <ConnectorDetails connector={connector} />
      </Card>
      {canWrite && !deleted && (
        <Stack gap="xs" align="flex-start">
          <ConnectionTestButton test={test} />
          <ConnectionTestOutcome test={test} />
        </Stack>
      )}
      {can('integration:runs:read') && (
        <Stack gap="xs">
          <Title order={4}>{t('card.runs')}</Title>
          <ConnectorRuns connectorId={connector.id} />
        </Stack>
      )}
      <ConfirmDialog
        opened={confirmDelete}
        title={t('card.deleteTitle', { name: connector.name })}
        text={t('card.deleteText')}
        color="red"
        destructive
        onConfirm={() => remove.mutate()}
        onClose={() => {
          setConfirmDelete(false);
          remove.reset();
        }}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

/** `/integrations/connectors/:id`: a connector's card (a deleted one too, to restore it). */
export function ConnectorPage() {
  const { t } = useTranslation('integrations');
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['integration', 'connectors', id],
    queryFn: () =>
      unwrap(
        api.integration.GET('/v1/connectors/{id}', {
          params: { path: { id }, query: { includeDeleted: true } },
        }),
      ),
  });
  return (
    <IntegrationsFrame section="connectors">
      <Anchor component={Link} to="/integrations" size="sm">
        {t('connectors.back')}
      </Anchor>
      <QueryState query={query} isEmpty={() => false}>
        {(connector) => <ConnectorCard connector={connector} />}
      </QueryState>
    </IntegrationsFrame>
  );
}
