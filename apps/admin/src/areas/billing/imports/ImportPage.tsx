import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { QueryState } from '../../../ui/QueryState.tsx';
import { BillingFrame } from '../BillingFrame.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import { ImportProgress, ImportReport } from './ImportReport.tsx';

/** How often a running import is asked for its progress. */
const POLL_MS = 1_000;

/** One import: its progress while it runs (polled), then its report. */
export function ImportPage() {
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  const location = useLocation();
  const seenBefore = (location.state as { seenBefore?: boolean } | null)?.seenBefore === true;
  const query = useQuery({
    queryKey: ['billing', 'imports', id],
    queryFn: () => unwrap(api.billing.GET('/v1/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (current) => (current.state.data?.status === 'completed' ? false : POLL_MS),
  });
  return (
    <BillingFrame section="imports">
      <Anchor component={Link} to="/billing/imports" size="sm">
        {t('imports.back')}
      </Anchor>
      <QueryState query={query} isEmpty={() => false}>
        {(imported) => (
          <Stack gap="md">
            <Group gap="sm" wrap="wrap">
              <Title order={3}>{t('import.title', { name: imported.fileName ?? imported.id })}</Title>
              <StatusBadge kind="import" status={imported.status} />
            </Group>
            <Text size="sm" c="dimmed">
              {t('import.meta', {
                format: imported.format === 'csv' ? t('import.formatCsv') : t('import.formatCamt'),
                entity: imported.legalEntity,
              })}
              {imported.finishedAt
                ? ` · ${t('import.finishedAt', { at: formatDateTime(imported.finishedAt) })}`
                : ''}
            </Text>
            {seenBefore && (
              <Alert color="yellow" role="status">
                {t('import.seenBefore')}
              </Alert>
            )}
            <ImportProgress imported={imported} />
            <ImportReport imported={imported} />
          </Stack>
        )}
      </QueryState>
    </BillingFrame>
  );
}
