import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../i18n/format.ts';
import { actorText } from '../../../ui/ActorName.tsx';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { useActorNames } from '../../../ui/useActorNames.ts';
import { shortEventType } from '../journal/JournalTable.tsx';
import type { ReviewItem } from '../common/types.ts';

const STATUS_COLORS: Record<ReviewItem['status'], string> = {
  open: 'orange',
  resolved: 'green',
  discarded: 'gray',
};

export interface ReviewTableProps {
  rows: ReviewItem[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  onShowEvent: (item: ReviewItem) => void;
  /** Given only when the user may act (finance:review:write): the row actions for open items. */
  onRetryItem?: (item: ReviewItem) => void;
  onDiscardItem?: (item: ReviewItem) => void;
  /** The item whose retry runs now. */
  retrying?: string | null;
}

/** Events finance could not post: what arrived, why it was refused, and what can be done about it. */
export function ReviewTable(props: ReviewTableProps) {
  const { t } = useTranslation('finance');
  const names = useActorNames(
    props.rows?.flatMap((item) => (item.resolvedBy ? [item.resolvedBy] : [])) ?? [],
  );
  return (
    <DataTable
      caption={t('review.title')}
      rows={props.rows}
      rowKey={(item) => item.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      empty={t('review.empty')}
      columns={[
        { key: 'createdAt', header: t('review.received'), render: (item) => formatDateTime(item.createdAt) },
        {
          key: 'eventType',
          header: t('review.eventType'),
          render: (item) => (
            <Text size="sm" title={item.eventId}>
              {shortEventType(item.eventType)}
            </Text>
          ),
        },
        {
          key: 'reason',
          header: t('review.reason'),
          render: (item) => (
            <Stack gap={2} maw={420}>
              <Badge size="sm" variant="light" color="red" tt="none">
                {item.reasonCode}
              </Badge>
              <Text size="sm">{item.reason}</Text>
              {item.note && (
                <Text size="xs" c="dimmed" title={item.resolvedBy ?? undefined}>
                  {t('review.noteBy', {
                    note: item.note,
                    by: item.resolvedBy ? actorText(item.resolvedBy, names[item.resolvedBy]) : '—',
                  })}
                </Text>
              )}
            </Stack>
          ),
        },
        { key: 'attempts', header: t('review.attempts'), align: 'right' },
        {
          key: 'status',
          header: t('review.status'),
          render: (item) => (
            <Badge variant="light" color={STATUS_COLORS[item.status]}>
              {t(`reviewStatus.${item.status}`)}
            </Badge>
          ),
        },
        {
          key: 'actions',
          header: t('review.actions'),
          render: (item) => (
            <Group gap={4} wrap="nowrap">
              <Button size="compact-xs" variant="subtle" onClick={() => props.onShowEvent(item)}>
                {t('review.showEvent')}
              </Button>
              {item.status === 'open' && props.onRetryItem && (
                <Button
                  size="compact-xs"
                  variant="light"
                  loading={props.retrying === item.id}
                  onClick={() => props.onRetryItem?.(item)}
                >
                  {t('review.retry')}
                </Button>
              )}
              {item.status === 'open' && props.onDiscardItem && (
                <Button
                  size="compact-xs"
                  variant="light"
                  color="gray"
                  onClick={() => props.onDiscardItem?.(item)}
                >
                  {t('review.discard')}
                </Button>
              )}
            </Group>
          ),
        },
      ]}
    />
  );
}
