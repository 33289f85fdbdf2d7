import { Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { useConnectors } from '../connectors/useConnectors.ts';
import { IntegrationsFrame } from '../IntegrationsFrame.tsx';
import { RUN_STATUSES, type RunStatus } from '../types.ts';
import { RunsTable } from './RunsTable.tsx';
import { useRuns } from './useRuns.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/integrations/runs`: the runs of every connector, or of one, by status; polled while one is under way. */
export function RunsPage() {
  const { t } = useTranslation('integrations');
  const navigate = useNavigate();
  const filters = useListFilters();
  const connectorId = filters.valid('connectorId', (value) => UUID.test(value));
  const status = filters.oneOf<RunStatus>('status', RUN_STATUSES);
  const { connectors, nameOf } = useConnectors();
  const { query, pager } = useRuns({
    ...(connectorId ? { connectorId } : {}),
    ...(status ? { status } : {}),
  });
  return (
    <IntegrationsFrame section="runs">
      <Group align="flex-end" wrap="wrap" gap="sm">
        <Select
          label={t('runs.connector')}
          placeholder={t('runs.allConnectors')}
          clearable
          value={connectorId ?? null}
          onChange={(value) => filters.set('connectorId', value)}
          data={connectors.map((connector) => ({ value: connector.id, label: connector.name }))}
          w={260}
        />
        <Select
          label={t('runs.status')}
          placeholder={t('any')}
          clearable
          value={status ?? null}
          onChange={(value) => filters.set('status', value)}
          data={RUN_STATUSES.map((value) => ({ value, label: t(`runStatus.${value}`) }))}
          w={200}
        />
      </Group>
      <RunsTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        connectorName={nameOf}
        onOpen={(run) => void navigate(`/integrations/runs/${run.id}`)}
      />
    </IntegrationsFrame>
  );
}
