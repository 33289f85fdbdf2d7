import { Anchor, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { ErrorState, LoadingState } from '../../../ui/QueryState.tsx';
import type { NewConnector } from '../types.ts';
import { connectorChange } from './connector-form.ts';
import { ConnectorForm } from './ConnectorForm.tsx';

/** `/integrations/connectors/new`: creates a connector, then opens its card. */
export function NewConnectorPage() {
  const { t } = useTranslation('integrations');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // One key per form: a repeated click or a retried request creates the connector once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = async (body: NewConnector) => {
    const connector = await unwrap(
      api.integration.POST('/v1/connectors', {
        body,
        params: { header: { 'idempotency-key': idempotencyKey } },
      }),
    );
    notifications.show({
      color: 'green',
      message: t('form.created'),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    await queryClient.invalidateQueries({ queryKey: ['integration', 'connectors'] });
    void navigate(`/integrations/connectors/${connector.id}`);
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/integrations" size="sm">
        {t('connectors.back')}
      </Anchor>
      <Title order={2}>{t('form.newTitle')}</Title>
      <ConnectorForm onSubmit={create} onCancel={() => void navigate('/integrations')} />
    </Stack>
  );
}

/** `/integrations/connectors/:id/edit`: changes a connector (its version as If-Match). */
export function EditConnectorPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('integrations');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['integration', 'connectors', id],
    queryFn: () =>
      unwrap(
        api.integration.GET('/v1/connectors/{id}', {
          params: { path: { id }, query: { includeDeleted: true } },
        }),
      ),
  });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const connector = query.data;
  const save = async (body: NewConnector) => {
    await unwrap(
      api.integration.PATCH('/v1/connectors/{id}', {
        params: { path: { id }, header: { 'if-match': `"${connector.version}"` } },
        body: connectorChange(connector, body),
      }),
    );
    notifications.show({
      color: 'green',
      message: t('common:errors.saved'),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    await queryClient.invalidateQueries({ queryKey: ['integration', 'connectors'] });
    void navigate(`/integrations/connectors/${id}`);
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/integrations/connectors/${id}`} size="sm">
        {t('form.backToConnector')}
      </Anchor>
      <Title order={2}>{t('form.editTitle', { name: connector.name })}</Title>
      <ConnectorForm
        key={connector.version}
        connector={connector}
        onSubmit={save}
        onCancel={() => void navigate(`/integrations/connectors/${id}`)}
      />
    </Stack>
  );
}
