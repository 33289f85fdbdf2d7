import { Alert, Button } from '@mantine/core';
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
 * A connection test: integration reaches the outside service and signs in. With settings (a form's values)
 * those are tried — against a saved connector its stored secret stands in for an empty one — and nothing is
 * saved; without, the saved connector is tried as it is. A new connector's settings go to
 * `/v1/connector-tests`.
 */
export function useConnectionTest(connectorId?: string) {
  return useMutation({
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
}

type Test = ReturnType<typeof useConnectionTest>;

/** "Test connection": `settings` are read when it is pressed; null (a form not complete enough) sends nothing. */
export function ConnectionTestButton({
  test,
  settings,
}: {
  test: Test;
  settings?: () => ConnectionSettings | null;
}) {
  const { t } = useTranslation('integrations');
  return (
    <Button
      variant="default"
      loading={test.isPending}
      onClick={() => {
        const body = settings?.();
        if (body === null || (settings && body === undefined)) return;
        test.mutate(body);
      }}
    >
      {t('test.button')}
    </Button>
  );
}

/** What the last test found, or why it could not be made; nothing before the first or while one runs. */
export function ConnectionTestOutcome({ test }: { test: Test }) {
  const { t } = useTranslation('integrations');
  if (test.isPending) return null;
  if (test.data) return <ConnectionTestResult result={test.data} />;
  if (test.isError)
    return (
      <Alert color="red" role="alert" title={t('test.failed')}>
        {errorMessage(test.error, t('common:states.unreachable'))}
      </Alert>
    );
  return null;
}
