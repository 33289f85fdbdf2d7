import { Accordion, Alert, Badge, Button, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../i18n/format.ts';
import { ActorName } from '../../../ui/ActorName.tsx';
import { Field } from '../../../ui/Field.tsx';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { useActorNames } from '../../../ui/useActorNames.ts';
import type { ParkedEvent } from './eventServices.ts';

export const STATUS_COLOR: Record<string, string> = { parked: 'red', replayed: 'green', discarded: 'gray' };

/** The payload of a CloudEvents envelope (`data`), or the envelope itself when it has none. */
function payloadOf(envelope: unknown): unknown {
  return typeof envelope === 'object' && envelope !== null && 'data' in envelope
    ? (envelope as { data: unknown }).data
    : envelope;
}

/**
 * One parked event: why it failed, how often it was tried, its payload and envelope; replay and discard while
 * it is parked (discard asks first: the event is then never applied).
 */
export function ParkedEventView({
  event,
  canWrite,
  onReplay,
  onDiscard,
  busy = false,
  error,
}: {
  event: ParkedEvent;
  canWrite: boolean;
  onReplay: () => void;
  onDiscard: () => void;
  busy?: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation('administration');
  const [confirming, setConfirming] = useState(false);
  const names = useActorNames(event.resolvedBy ? [event.resolvedBy] : []);
  const parked = event.status === 'parked';

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} verticalSpacing="xs">
        <Field label={t('events.type')}>
          <Code>{event.type}</Code>
        </Field>
        <Field label={t('events.status')}>
          <Badge color={STATUS_COLOR[event.status] ?? 'gray'} variant="light">
            {t(`events.statuses.${event.status}`, { defaultValue: event.status })}
          </Badge>
        </Field>
        <Field label={t('events.attempts')}>{event.attempts}</Field>
        <Field label={t('events.parkedAt')}>{formatDateTime(event.parkedAt)}</Field>
        <Field label={t('events.eventId')}>
          <Code>{event.eventId}</Code>
        </Field>
        {event.resolvedAt && (
          <Field label={t('events.resolved')}>
            {formatDateTime(event.resolvedAt)} ·{' '}
            {event.resolvedBy ? <ActorName actor={event.resolvedBy} name={names[event.resolvedBy]} /> : '—'}
          </Field>
        )}
      </SimpleGrid>

      <Title order={4}>{t('events.error')}</Title>
      <Code block style={{ whiteSpace: 'pre-wrap' }}>
        {event.reason}
      </Code>

      <Title order={4}>{t('events.payload')}</Title>
      <Code block>{JSON.stringify(payloadOf(event.envelope), null, 2)}</Code>

      <Accordion variant="contained">
        <Accordion.Item value="envelope">
          <Accordion.Control>{t('events.envelope')}</Accordion.Control>
          <Accordion.Panel>
            <Code block>{JSON.stringify(event.envelope, null, 2)}</Code>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>

      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(error, t('common:states.unreachable'))}
        </Alert>
      ) : null}
      {canWrite && parked && !confirming && (
        <Group>
          <Button loading={busy} onClick={onReplay}>
            {t('events.replay')}
          </Button>
          <Button variant="light" color="red" disabled={busy} onClick={() => setConfirming(true)}>
            {t('events.discard')}
          </Button>
        </Group>
      )}
      {canWrite && parked && confirming && (
        <Alert color="orange" title={t('events.discardTitle')}>
          <Stack gap="sm">
            <Text size="sm">{t('events.discardText')}</Text>
            <Group>
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                color="red"
                loading={busy}
                onClick={() => {
                  onDiscard();
                  setConfirming(false);
                }}
              >
                {t('events.confirmDiscard')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
