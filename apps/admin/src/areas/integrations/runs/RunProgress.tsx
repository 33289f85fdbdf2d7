import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { runPercent, runUnderWay, type Run } from '../types.ts';

/**
 * How far a run is: a progress bar (role progressbar, named) from the records read of the total the CRM
 * counted, and "n of m records read". Without a count the bar runs striped and says what was read.
 */
export function RunProgress({ run }: { run: Pick<Run, 'status' | 'read' | 'total' | 'percent'> }) {
  const { t } = useTranslation('integrations');
  const percent = runPercent(run);
  const running = runUnderWay(run);
  const text =
    run.status === 'queued'
      ? t('runs.queued')
      : !running
        ? t('runs.done', { read: run.read })
        : percent === null
          ? t('runs.progressUnknown', { read: run.read })
          : t('runs.progressKnown', { read: run.read, total: run.total, percent });
  return (
    <Stack gap={4}>
      <Progress.Root size="lg">
        <Progress.Section
          value={percent ?? (running ? 100 : 0)}
          color={run.status === 'failed' ? 'red' : running ? 'blue' : 'green'}
          animated={running}
          striped={running}
          aria-label={t('runs.progressLabel')}
        />
      </Progress.Root>
      <Text size="sm" aria-live="polite">
        {text}
      </Text>
    </Stack>
  );
}

/** A small bar for a table cell: the percent, or the records read while the total is unknown. */
export function RunProgressCell({ run }: { run: Pick<Run, 'status' | 'read' | 'total' | 'percent'> }) {
  const { t } = useTranslation('integrations');
  const percent = runPercent(run);
  const running = runUnderWay(run);
  return (
    <Group gap="xs" wrap="nowrap" miw={140}>
      <Progress
        value={percent ?? (running ? 100 : 0)}
        striped={running}
        animated={running}
        color={run.status === 'failed' ? 'red' : running ? 'blue' : 'green'}
        w={80}
        aria-label={t('runs.progressLabel')}
      />
      <Text size="xs" c="dimmed">
        {percent === null ? run.read : `${percent} %`}
      </Text>
    </Group>
  );
}

const COUNTS = [
  ['read', 'read', 'gray'],
  ['created', 'created', 'green'],
  ['updated', 'updated', 'blue'],
  ['unchanged', 'unchanged', 'gray'],
  ['conflicts', 'conflicts', 'orange'],
  ['duplicates', 'duplicates', 'grape'],
  ['errors', 'errors', 'red'],
] as const;

/** The run's report in numbers: read, created, updated, unchanged, conflicts, duplicates, errors. */
export function RunCounts({
  run,
}: {
  run: Pick<Run, 'read' | 'created' | 'updated' | 'unchanged' | 'conflicts' | 'duplicates' | 'errors'>;
}) {
  const { t } = useTranslation('integrations');
  return (
    <Group gap="sm" wrap="wrap">
      {COUNTS.map(([field, label, color]) => (
        <Badge key={field} size="lg" color={color} variant="light" tt="none">
          {t(`counts.${label}`, { count: run[field] })}
        </Badge>
      ))}
    </Group>
  );
}
