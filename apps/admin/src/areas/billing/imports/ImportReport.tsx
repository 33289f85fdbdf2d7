import { Anchor, Badge, Group, Progress, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { BankImport, BankImportLine } from '../common/types.ts';

/** Percent of the lines done, whole percent, rounded down (100 only when every line is done). */
export function importPercent(linesDone: number, linesTotal: number): number {
  if (linesTotal <= 0) return 100;
  return Math.floor((Math.min(linesDone, linesTotal) * 100) / linesTotal);
}

/** How far an import is: a progress bar (role progressbar, named) and "n of m lines". */
export function ImportProgress({
  imported,
}: {
  imported: Pick<BankImport, 'status' | 'linesDone' | 'linesTotal'>;
}) {
  const { t } = useTranslation('billing');
  const percent = importPercent(imported.linesDone, imported.linesTotal);
  const running = imported.status === 'running';
  return (
    <Stack gap={4}>
      <Progress.Root size="lg">
        <Progress.Section
          value={percent}
          color={running ? 'blue' : 'green'}
          animated={running}
          striped={running}
          aria-label={t('import.progress')}
        />
      </Progress.Root>
      <Text size="sm" aria-live="polite">
        {running
          ? t('import.running', { done: imported.linesDone, total: imported.linesTotal, percent })
          : t('import.completed', { total: imported.linesTotal })}
      </Text>
    </Stack>
  );
}

const OUTCOMES = ['all', 'refused', 'unmatched', 'matched', 'skipped'] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * The result of an import: how many lines matched, stayed unmatched, were refused or skipped; the refused lines
 * first (line number and reason: what to mend in the file), then every line with its outcome.
 */
export function ImportReport({ imported }: { imported: BankImport }) {
  const { t } = useTranslation('billing');
  const [outcome, setOutcome] = useState<Outcome>('all');
  const refused = imported.lines.filter((line) => line.status === 'refused');
  const shown = outcome === 'all' ? imported.lines : imported.lines.filter((line) => line.status === outcome);
  const counts: [Exclude<Outcome, 'all'>, number, string][] = [
    ['matched', imported.matched, 'green'],
    ['unmatched', imported.unmatched, 'orange'],
    ['refused', imported.refused, 'red'],
    ['skipped', imported.skipped, 'gray'],
  ];
  return (
    <Stack gap="lg">
      <Group gap="sm" wrap="wrap">
        {counts.map(([name, count, color]) => (
          <Badge key={name} size="lg" color={color} variant="light" tt="none">
            {t(`import.count.${name}`, { count })}
          </Badge>
        ))}
      </Group>
      {refused.length > 0 && (
        <Stack gap="xs">
          <Title order={4}>{t('import.refusedTitle')}</Title>
          <DataTable<BankImportLine>
            caption={t('import.refusedCaption')}
            rows={refused}
            rowKey={(line) => `${line.entry}`}
            columns={[
              { key: 'line', header: t('import.line'), align: 'right', render: (line) => line.line },
              { key: 'entry', header: t('import.entry'), align: 'right', render: (line) => line.entry },
              { key: 'reason', header: t('import.reason'), render: (line) => line.reason ?? '—' },
            ]}
          />
        </Stack>
      )}
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={4}>{t('import.reportTitle')}</Title>
          <SegmentedControl
            size="xs"
            aria-label={t('import.outcomeFilter')}
            value={outcome}
            onChange={(value) => setOutcome(value as Outcome)}
            data={OUTCOMES.map((value) => ({ value, label: t(`import.outcome.${value}`) }))}
          />
        </Group>
        <DataTable<BankImportLine>
          caption={t('import.reportCaption')}
          rows={shown}
          rowKey={(line) => `${line.entry}`}
          empty={t('import.noLines')}
          columns={[
            { key: 'line', header: t('import.line'), align: 'right', sortValue: (line) => line.line },
            {
              key: 'status',
              header: t('import.outcomeHeader'),
              render: (line) => <StatusBadge kind="line" status={line.status} />,
            },
            {
              key: 'valueDate',
              header: t('payment.valueDate'),
              render: (line) => formatDate(line.valueDate),
            },
            {
              key: 'amount',
              header: t('payment.amount'),
              align: 'right',
              render: (line) => formatMoneyValue(line.amount),
            },
            { key: 'reference', header: t('payment.reference'), render: (line) => line.reference || '—' },
            {
              key: 'bankReference',
              header: t('payment.bankReference'),
              render: (line) => line.bankReference ?? '—',
            },
            {
              key: 'reason',
              header: t('import.reason'),
              render: (line) =>
                line.paymentId ? (
                  <Anchor component={Link} to={`/billing/payments/${line.paymentId}`} size="sm">
                    {line.reason ?? t('import.openPayment')}
                  </Anchor>
                ) : (
                  (line.reason ?? '—')
                ),
            },
          ]}
        />
      </Stack>
    </Stack>
  );
}
