import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { saveCsv } from './csv.ts';

/**
 * "Export CSV": fetches the report as the API writes it, with the token, and saves it as a file. `hint` says
 * what the file holds (shown on hover).
 */
export function ExportCsvButton({
  fetchCsv,
  fallbackName,
  disabled,
  hint,
}: {
  fetchCsv: () => Promise<{ data?: Blob; error?: unknown; response: Response }>;
  fallbackName: string;
  disabled?: boolean;
  hint?: string;
}) {
  const { t } = useTranslation('finance');
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      loading={busy}
      disabled={disabled}
      title={hint}
      onClick={() => {
        setBusy(true);
        saveCsv(fetchCsv, fallbackName)
          .catch((error: unknown) =>
            notifications.show({
              color: 'red',
              title: t('csv.failed'),
              message: errorMessage(error, t('common:states.unreachable')),
            }),
          )
          .finally(() => setBusy(false));
      }}
    >
      {t('common:actions.exportCsv')}
    </Button>
  );
}
