import { Alert, Badge, Button, Group, Modal, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../api/schema/sso.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { errorMessage } from '../../../ui/QueryState.tsx';
import type { CatalogueEntry } from '../shared/PermissionPicker.tsx';
import { ClientForm, type ClientValues } from './ClientForm.tsx';
import { NewSecretDialog, type IssuedSecret } from './NewSecretDialog.tsx';

/** A service client as sso lists it (never with its secret). */
export type ServiceClient = paths['/v1/clients/{id}']['get']['responses'][200]['content']['application/json'];

type Dialog =
  { kind: 'create' } | { kind: 'edit'; client: ServiceClient } | { kind: 'rotate'; client: ServiceClient };

/**
 * The service clients: the list, creating one, changing one, rotating a secret. The secret sso issues on
 * create and rotate is shown once in {@link NewSecretDialog} and dropped when it closes. The calls are props
 * (they answer promises), so this can be used without a server.
 */
export function ClientsView({
  clients,
  loading,
  error,
  onRetry,
  pager,
  canWrite,
  catalogue,
  onCreate,
  onUpdate,
  onRotate,
}: {
  clients: ServiceClient[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  pager?: CursorPager;
  canWrite: boolean;
  catalogue: readonly CatalogueEntry[];
  onCreate: (values: ClientValues) => Promise<IssuedSecret>;
  onUpdate: (client: ServiceClient, values: ClientValues) => Promise<void>;
  onRotate: (client: ServiceClient) => Promise<IssuedSecret>;
}) {
  const { t } = useTranslation('administration');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [dialogError, setDialogError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);

  const open = (next: Dialog) => {
    setDialogError(null);
    setDialog(next);
  };
  const run = async <T,>(call: () => Promise<T>, then: (result: T) => void) => {
    setBusy(true);
    setDialogError(null);
    try {
      then(await call());
      setDialog(null);
    } catch (failure) {
      setDialogError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('clients.title')}</Title>
        {canWrite && <Button onClick={() => open({ kind: 'create' })}>{t('clients.new')}</Button>}
      </Group>
      <DataTable
        caption={t('clients.caption')}
        rows={clients}
        rowKey={(row) => row.id}
        loading={loading}
        error={error}
        onRetry={onRetry}
        empty={t('clients.empty')}
        {...(pager ? { pager } : {})}
        columns={[
          { key: 'clientId', header: t('clients.clientId'), sortValue: (row) => row.clientId },
          { key: 'name', header: t('clients.name'), sortValue: (row) => row.name },
          {
            key: 'scopes',
            header: t('clients.scopes'),
            render: (row) => (
              <Tooltip label={row.scopes.join(', ') || '—'} multiline maw={420} withArrow>
                <Text size="sm" tabIndex={0}>
                  {t('clients.scopeCount', { count: row.scopes.length })}
                </Text>
              </Tooltip>
            ),
          },
          {
            key: 'active',
            header: t('clients.status'),
            render: (row) => (
              <Badge miw="max-content" color={row.active ? 'green' : 'gray'} variant="light">
                {row.active ? t('clients.activeBadge') : t('clients.disabledBadge')}
              </Badge>
            ),
          },
          {
            key: 'updatedAt',
            header: t('clients.updatedAt'),
            render: (row) => formatDateTime(row.updatedAt),
          },
          ...(canWrite
            ? [
                {
                  key: 'actions',
                  header: t('clients.actions'),
                  render: (row: ServiceClient) => (
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('clients.editOf', { clientId: row.clientId })}
                        onClick={() => open({ kind: 'edit', client: row })}
                      >
                        {t('common:actions.edit')}
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        color="orange"
                        aria-label={t('clients.rotateOf', { clientId: row.clientId })}
                        onClick={() => open({ kind: 'rotate', client: row })}
                      >
                        {t('clients.rotate')}
                      </Button>
                    </Group>
                  ),
                },
              ]
            : []),
        ]}
      />

      <Modal
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        onClose={() => setDialog(null)}
        title={
          dialog?.kind === 'edit'
            ? t('clients.editTitle', { clientId: dialog.client.clientId })
            : t('clients.newTitle')
        }
        size="xl"
      >
        {dialog?.kind === 'create' && (
          <ClientForm
            mode="create"
            catalogue={catalogue}
            error={dialogError}
            submitting={busy}
            onSubmit={(values) => void run(() => onCreate(values), setIssued)}
          />
        )}
        {dialog?.kind === 'edit' && (
          <ClientForm
            mode="edit"
            initial={{
              clientId: dialog.client.clientId,
              name: dialog.client.name,
              scopes: dialog.client.scopes,
              active: dialog.client.active,
            }}
            catalogue={catalogue}
            error={dialogError}
            submitting={busy}
            onSubmit={(values) =>
              void run(
                () => onUpdate(dialog.client, values),
                () => undefined,
              )
            }
          />
        )}
      </Modal>

      <Modal
        opened={dialog?.kind === 'rotate'}
        onClose={() => setDialog(null)}
        title={
          dialog?.kind === 'rotate' ? t('clients.rotateTitle', { clientId: dialog.client.clientId }) : ''
        }
      >
        {dialog?.kind === 'rotate' && (
          <Stack>
            <Text size="sm">{t('clients.rotateText')}</Text>
            {dialogError !== null && (
              <Alert color="red" role="alert">
                {errorMessage(dialogError, t('common:states.unreachable'))}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDialog(null)}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                color="orange"
                loading={busy}
                onClick={() => void run(() => onRotate(dialog.client), setIssued)}
              >
                {t('clients.rotate')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>

      <NewSecretDialog issued={issued} onDone={() => setIssued(null)} />
    </Stack>
  );
}
