import { Badge, Code, Group, ScrollArea, Stack, Switch, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffSnapshots, displayValue, type DiffKind } from './auditDiff.ts';

const KIND_COLOR: Record<DiffKind, string> = {
  changed: 'yellow',
  added: 'green',
  removed: 'red',
  unchanged: 'gray',
};

/**
 * Before and after of a change, field by field: what differs is listed with its old and new value and says
 * how it differs in words (changed, added, removed), not by colour alone; the unchanged fields on request.
 * `changed` is the list of fields the publishing service named.
 */
export function AuditDiff({
  before,
  after,
  changed,
}: {
  before: unknown;
  after: unknown;
  changed: readonly string[];
}) {
  const { t } = useTranslation('audit');
  const rows = useMemo(() => diffSnapshots(before, after), [before, after]);
  const [showUnchanged, setShowUnchanged] = useState(false);
  const unchanged = rows.filter((row) => row.kind === 'unchanged').length;
  const shown = showUnchanged ? rows : rows.filter((row) => row.kind !== 'unchanged');

  if (rows.length === 0) return <Text c="dimmed">{t('diff.noSnapshots')}</Text>;
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        {changed.length > 0 ? (
          <Group gap={6} wrap="wrap">
            <Text size="sm">{t('diff.changedFields')}</Text>
            {changed.map((field) => (
              <Code key={field}>{field}</Code>
            ))}
          </Group>
        ) : (
          <span />
        )}
        {unchanged > 0 && (
          <Switch
            label={t('diff.showUnchanged', { count: unchanged })}
            checked={showUnchanged}
            onChange={(event) => setShowUnchanged(event.currentTarget.checked)}
          />
        )}
      </Group>
      {shown.length === 0 ? (
        <Text c="dimmed">{t('diff.nothingDiffers')}</Text>
      ) : (
        <ScrollArea>
          <Table verticalSpacing="xs" withTableBorder>
            <Table.Caption>{t('diff.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('diff.field')}</Table.Th>
                <Table.Th>{t('diff.before')}</Table.Th>
                <Table.Th>{t('diff.after')}</Table.Th>
                <Table.Th>{t('diff.how')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((row) => (
                <Table.Tr key={row.path} data-kind={row.kind}>
                  <Table.Td>
                    <Code>{row.path === '' ? t('diff.wholeValue') : row.path}</Code>
                  </Table.Td>
                  <Table.Td
                    bg={
                      row.kind === 'changed' || row.kind === 'removed'
                        ? 'var(--mantine-color-red-light)'
                        : undefined
                    }
                  >
                    <Value value={row.before} absent={row.kind === 'added'} />
                  </Table.Td>
                  <Table.Td
                    bg={
                      row.kind === 'changed' || row.kind === 'added'
                        ? 'var(--mantine-color-green-light)'
                        : undefined
                    }
                  >
                    <Value value={row.after} absent={row.kind === 'removed'} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={KIND_COLOR[row.kind]}>
                      {t(`diff.kind.${row.kind}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}

function Value({ value, absent }: { value: unknown; absent: boolean }) {
  const { t } = useTranslation('audit');
  if (absent) return <Text c="dimmed">—</Text>;
  if (value === null) {
    return (
      <Text c="dimmed" fs="italic" size="sm">
        {t('diff.empty')}
      </Text>
    );
  }
  return (
    <Text size="sm" style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>
      {displayValue(value)}
    </Text>
  );
}
