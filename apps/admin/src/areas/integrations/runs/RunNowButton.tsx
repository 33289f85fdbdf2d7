import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';
import type { RunMode } from '../types.ts';

/**
 * "Run now": starts an incremental run (the changes since the last one) or a full one, then opens the run to
 * watch it. While a run of the connector is under way integration refuses (409) and says so.
 */
export function RunNowButton({ connectorId, disabled }: { connectorId: string; disabled?: boolean }) {
  const { t } = useTranslation('integrations');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: (mode: RunMode) =>
      unwrap(
        api.integration.POST('/v1/connectors/{id}/runs', {
          // One key per start: a request retried after a lost answer starts the run once.
          params: { path: { id: connectorId }, header: { 'idempotency-key': crypto.randomUUID() } },
          body: { mode },
        }),
      ),
    onSuccess: async (run) => {
      notifications.show({
        color: 'green',
        message: t('runs.started'),
        closeButtonProps: { 'aria-label': t('dismiss') },
      });
      await queryClient.invalidateQueries({ queryKey: ['integration', 'runs'] });
      void navigate(`/integrations/runs/${run.id}`);
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('runs.runNow'),
        message: errorMessage(error, t('common:states.unreachable')),
        closeButtonProps: { 'aria-label': t('dismiss') },
      }),
  });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button loading={start.isPending} disabled={disabled}>
          {t('runs.runNow')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => start.mutate('incremental')}>{t('runs.incremental')}</Menu.Item>
        <Menu.Item onClick={() => start.mutate('full')}>{t('runs.full')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
