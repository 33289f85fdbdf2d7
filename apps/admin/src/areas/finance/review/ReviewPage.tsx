import {
  Button,
  Code,
  Group,
  Input,
  Modal,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { FormProblem } from '../../billing/common/FormProblem.tsx';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { useReportParams } from '../common/params.ts';
import { REVIEW_REASONS, REVIEW_STATUSES, type ReviewItem } from '../common/types.ts';
import { FinanceFrame } from '../FinanceFrame.tsx';
import { shortEventType } from '../journal/JournalTable.tsx';
import { ReviewTable } from './ReviewTable.tsx';
import { CLOSED_LIST } from '../../billing/common/values.ts';

/** Give up on an event, with the note why (the API keeps it). */
export function DiscardForm({
  onSubmit,
  pending,
  error,
}: {
  onSubmit: (note: string) => void;
  pending?: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation('finance');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const { fieldErrors, other } = splitFieldErrors(error, { note: 'note' });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (note.trim() === '') return setInvalid(t('review.noteRequired'));
        setInvalid(null);
        onSubmit(note.trim());
      }}
    >
      <Stack gap="sm">
        <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <Textarea
          label={t('review.note')}
          description={t('review.noteHelp')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={invalid ?? fieldErrors.note}
          required
          rows={2}
        />
        <Group>
          <Button type="submit" color="red" loading={pending}>
            {t('review.discardSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The review list (finance:review:read): events not posted, with retry and discard (finance:review:write). */
export function ReviewPage() {
  const { t } = useTranslation('finance');
  const { can } = useSession();
  const client = useQueryClient();
  const params = useReportParams();
  const status = REVIEW_STATUSES.find((value) => value === (params.get('status') || 'open')) ?? 'open';
  const reasonCode = REVIEW_REASONS.find((value) => value === params.get('reason'));
  const eventType = params.get('eventType').trim();
  const filters = { status, ...(reasonCode ? { reasonCode } : {}), ...(eventType ? { eventType } : {}) };
  const [shown, setShown] = useState<ReviewItem | null>(null);
  const [discarding, setDiscarding] = useState<ReviewItem | null>(null);
  const { query, pager } = usePagedQuery(['finance', 'review-items', filters], (cursor) =>
    unwrap(
      api.finance.GET('/v1/review-items', {
        params: { query: { limit: 50, ...filters, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  const retry = useMutation({
    mutationFn: (item: ReviewItem) =>
      unwrap(api.finance.POST('/v1/review-items/{id}/retry', { params: { path: { id: item.id } } })),
    onSuccess: async (item) => {
      await client.invalidateQueries({ queryKey: ['finance'] });
      notifications.show(
        item.status === 'resolved'
          ? { color: 'green', message: t('review.posted') }
          : {
              color: 'orange',
              title: t('review.refusedAgain'),
              message: `${item.reasonCode}: ${item.reason}`,
            },
      );
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('review.retryFailed'), message: error.message }),
  });
  const discard = useMutation({
    mutationFn: ({ item, note }: { item: ReviewItem; note: string }) =>
      unwrap(
        api.finance.POST('/v1/review-items/{id}/discard', {
          params: { path: { id: item.id } },
          body: { note },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['finance', 'review-items'] });
      setDiscarding(null);
      notifications.show({ color: 'gray', message: t('review.discarded') });
    },
  });
  const writable = can('finance:review:write');
  return (
    <FinanceFrame section="review">
      <Stack gap="sm">
        <Title order={3}>{t('review.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('review.intro')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <Stack gap={4}>
            <Input.Label id="review-status">{t('review.status')}</Input.Label>
            <SegmentedControl
              aria-labelledby="review-status"
              value={status}
              onChange={(value) => params.set('status', value === 'open' ? null : value)}
              data={REVIEW_STATUSES.map((value) => ({ value, label: t(`reviewStatus.${value}`) }))}
            />
          </Stack>
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('review.reason')}
            value={reasonCode ?? null}
            onChange={(value) => params.set('reason', value)}
            data={[...REVIEW_REASONS]}
            clearable
            placeholder={t('report.any')}
          />
          <TextInput
            label={t('review.eventType')}
            placeholder="lessor.billing.invoice.issued.v1"
            value={params.get('eventType')}
            onChange={(event) => params.set('eventType', event.currentTarget.value)}
          />
        </SimpleGrid>
        <ReviewTable
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          pager={pager}
          onShowEvent={setShown}
          retrying={retry.isPending ? (retry.variables?.id ?? null) : null}
          {...(writable
            ? {
                onRetryItem: (item: ReviewItem) => retry.mutate(item),
                onDiscardItem: (item: ReviewItem) => {
                  discard.reset();
                  setDiscarding(item);
                },
              }
            : {})}
        />
      </Stack>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={t('review.eventTitle')} size="xl">
        {shown && (
          <Stack gap="xs">
            <Text size="sm">
              {shown.eventType} · {shown.eventId}
            </Text>
            <ScrollArea.Autosize mah={480}>
              <Code block>{JSON.stringify({ event: shown.event, derived: shown.derived }, null, 2)}</Code>
            </ScrollArea.Autosize>
          </Stack>
        )}
      </Modal>
      <Modal
        opened={discarding !== null}
        onClose={() => setDiscarding(null)}
        title={t('review.discardTitle')}
      >
        {discarding && (
          <Stack gap="sm">
            <Text size="sm">
              {shortEventType(discarding.eventType)} — {discarding.reason}
            </Text>
            <DiscardForm
              onSubmit={(note) => discard.mutate({ item: discarding, note })}
              pending={discard.isPending}
              error={discard.error}
            />
          </Stack>
        )}
      </Modal>
    </FinanceFrame>
  );
}
