import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import type { Entry } from '../common/types.ts';

/** The short name of an event type: `lessor.billing.invoice.issued.v1` → `billing.invoice.issued`. */
export function shortEventType(type: string | null): string | null {
  return type ? type.replace(/^lessor\./, '').replace(/\.v\d+$/, '') : null;
}

/** Journal entries, one row each, with their lines one under the other (account, debit, credit). */
export function JournalTable({
  rows,
  loading,
  error,
  onRetry,
  sort,
  onSortChange,
  pager,
}: {
  rows: Entry[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort?: string;
  onSortChange?: (sort: string) => void;
  pager?: CursorPager;
}) {
  const { t } = useTranslation('finance');
  const lines = (entry: Entry, side: 'debit' | 'credit' | 'account') => (
    <Stack gap={2}>
      {entry.lines.map((line) => (
        <Text key={line.lineNo} size="sm" lh="22px" style={{ whiteSpace: 'nowrap' }}>
          {side === 'account'
            ? `${line.accountCode} ${line.accountName}`
            : line.side === side
              ? formatMoneyValue(line.amount)
              : '\u00a0'}
        </Text>
      ))}
    </Stack>
  );
  return (
    <DataTable
      caption={t('journal.title')}
      rows={rows}
      rowKey={(entry) => entry.id}
      loading={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      sort={sort}
      {...(onSortChange ? { onSortChange } : {})}
      {...(pager ? { pager } : {})}
      empty={t('journal.empty')}
      columns={[
        { key: 'seq', header: t('journal.seq'), sortKey: 'seq', align: 'right' },
        {
          key: 'date',
          header: t('journal.date'),
          sortKey: 'entryDate',
          render: (entry) => formatDate(entry.date),
        },
        {
          key: 'description',
          header: t('journal.description'),
          render: (entry) => (
            <Stack gap={2} maw={340}>
              <Text size="sm">{entry.description}</Text>
              <Group gap={4}>
                <Badge size="xs" variant="light" color="gray">
                  {t(`entryKind.${entry.kind}`)}
                </Badge>
                {entry.sourceEventType && (
                  <Text size="xs" c="dimmed" title={entry.sourceEventId ?? undefined}>
                    {shortEventType(entry.sourceEventType)}
                  </Text>
                )}
                {entry.reversedByEntryId && (
                  <Badge size="xs" variant="outline" color="orange">
                    {t('journal.reversed')}
                  </Badge>
                )}
              </Group>
            </Stack>
          ),
        },
        { key: 'account', header: t('journal.account'), render: (entry) => lines(entry, 'account') },
        {
          key: 'debit',
          header: t('journal.debit'),
          align: 'right',
          render: (entry) => lines(entry, 'debit'),
        },
        {
          key: 'credit',
          header: t('journal.credit'),
          align: 'right',
          render: (entry) => lines(entry, 'credit'),
        },
      ]}
    />
  );
}
