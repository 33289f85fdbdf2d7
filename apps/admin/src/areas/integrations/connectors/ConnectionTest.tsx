import { Alert, Button, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';
import type { ConnectionSettings, ConnectionTest } from '../types.ts';

/** What a connection test found: green with the status and time, or red with the remote's message. */
export function ConnectionTestResult({ result }: { result: ConnectionTest }) {
  const { t } = useTranslation('integrations');
  const detail =
    result.status === null
      ? t('test.detailNoStatus', { duration: result.durationMs })
      : t('test.detail', { status: result.status, duration: result.durationMs });
  return (
    <Alert
      color={result.ok ? 'green' : 'red'}
      role={result.ok ? 'status' : 'alert'}
      title={result.ok ? t('test.ok') : t('test.failed')}
    >
      {detail}
      {result.message ? ` · ${result.message}` : ''}
    </Alert>
  );
}

/**
 * "Test connection": has integration reach the outside service and sign in. With `settings` (a form's
 * values) those are tried — against a saved connector its stored secret stands in for an empty one — and
 * nothing is saved; without, the saved connector is tried as it is.
 */
export function ConnectionTestButton({
  connectorId,
  settings,
}: {
  connectorId?: string;
  /** The settings to try, read when the button is pressed; null when the form is not complete enough. */
  settings?: () => ConnectionSettings | null;
}) {
  const { t } = useTranslation('integrations');
  const test = useMutation({
    mutationFn: (body: ConnectionSettings | undefined) =>
      connectorId
        ? unwrap(
            api.integration.POST('/v1/connectors/{id}/test', {
              params: { path: { id: connectorId } },
              // Without settings (an empty body) the saved connector is tried.
              body: body ?? {},
            }),
          )
        : unwrap(api.integration.POST('/v1/connector-tests', { body: body! })),
  });
  const run = () => {
    const body = settings?.();
    if (body === null) return;
    if (!connectorId && !body) return;
    test.mutate(body);
  };
  return (
    <Stack gap="xs">
      <div>
        <Button variant="default" loading={test.isPending} onClick={run}>
          {t('test.button')}
        </Button>
      </div>
      {test.data && !test.isPending && <ConnectionTestResult result={test.data} />}
      {test.isError && (
        <Alert color="red" role="alert" title={t('test.failed')}>
          {errorMessage(test.error, t('common:states.unreachable'))}
        </Alert>
      )}
    </Stack>
  );
}
