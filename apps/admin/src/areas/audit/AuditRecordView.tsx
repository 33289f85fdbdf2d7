import { Accordion, Anchor, Badge, Code, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../i18n/format.ts';
import { Field } from '../../ui/Field.tsx';
import { actorLabel, subjectLabel } from './audit-labels.ts';
import { AuditDiff } from './AuditDiff.tsx';
import type { AuditRecord } from './AuditRecordsTable.tsx';

/**
 * One audit record: who did what to which entity and when, the readable diff of before and after, the event
 * data of a record without snapshots (security events, business facts), and the record as JSON.
 */
export function AuditRecordView({
  record,
  actorName,
}: {
  record: AuditRecord;
  actorName?: string | undefined;
}) {
  const { t } = useTranslation('audit');
  const subject = subjectLabel(record);
  const hasSnapshots = record.before !== null || record.after !== null;
  const entityLink = `/audit?${new URLSearchParams({ entityType: record.entityType, entityId: record.entityId }).toString()}`;

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="xs">
        <Field label={t('record.eventType')}>
          <Code>{record.eventType}</Code>
        </Field>
        <Field label={t('record.action')}>
          <Badge variant="light">{record.action}</Badge>
        </Field>
        <Field label={t('record.service')}>{record.service}</Field>
        <Field label={t('record.entityType')}>{record.entityType}</Field>
        <Field label={t('record.entityId')}>
          <Group gap="xs" wrap="wrap">
            {subject !== undefined && <span>{subject}</span>}
            <Code>{record.entityId}</Code>
            <Anchor component={Link} to={entityLink} size="sm">
              {t('record.entityHistory')}
            </Anchor>
          </Group>
        </Field>
        <Field label={t('record.actor')}>
          {(record.actorName ?? actorName)
            ? `${actorLabel(record, actorName)} (${record.actor})`
            : record.actor}
        </Field>
        <Field label={t('record.occurredAt')}>{formatDateTime(record.occurredAt)}</Field>
        <Field label={t('record.recordedAt')}>{formatDateTime(record.recordedAt)}</Field>
        <Field label={t('record.traceId')}>
          {record.traceId ? <Code>{record.traceId}</Code> : t('record.none')}
        </Field>
        <Field label={t('record.eventId')}>
          <Code>{record.eventId}</Code>
        </Field>
      </SimpleGrid>

      <Title order={3}>{t('record.changes')}</Title>
      <AuditDiff before={record.before} after={record.after} changed={record.changed} />

      {!hasSnapshots && record.data !== null && record.data !== undefined && (
        <>
          <Title order={3}>{t('record.data')}</Title>
          <Code block>{JSON.stringify(record.data, null, 2)}</Code>
        </>
      )}

      <Accordion variant="contained">
        <Accordion.Item value="raw">
          <Accordion.Control>{t('record.raw')}</Accordion.Control>
          <Accordion.Panel>
            <Code block>{JSON.stringify(record, null, 2)}</Code>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}
