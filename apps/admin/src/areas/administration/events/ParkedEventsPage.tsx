import { Badge, Button, Drawer, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../api/clients.ts';
import { NoAccess } from '../../../app/guards.tsx';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import {
  eventsClient,
  PARKED_EVENTS_PERMISSION,
  readableEventServices,
  type EventService,
  type ParkedEvent,
} from './eventServices.ts';
import { ParkedEventView, STATUS_COLOR } from './ParkedEventView.tsx';

type StatusFilter = 'parked' | 'replayed' | 'discarded' | 'all';

/**
 * `/administration/events`: the events a service could not handle, one service at a time (each has its own
 * events API and permission), with inspect, replay and discard. The choice is kept in the URL.
 */
export function ParkedEventsPage() {
  const { t } = useTranslation('administration');
  const { me } = useSession();
  const filters = useListFilters();
  const params = filters.params;
  const readable = readableEventServices(me?.permissions ?? []);
  const asked = params.get('service') as EventService | null;
  const service = asked && readable.includes(asked) ? asked : readable[0];
  const status = (params.get('status') ?? 'parked') as StatusFilter;
  const type = params.get('type') ?? '';

  // Behind the route's guard (any service's events:read) there is always one; this narrows `service`.
  if (!service) return <NoAccess permission={PARKED_EVENTS_PERMISSION} />;
  return (
    <Stack>
      <Title order={2}>{t('events.title')}</Title>
      <Text c="dimmed">{t('events.intro')}</Text>
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t('events.service')}
          data={readable}
          value={service}
          onChange={(value) => value && filters.set('service', value)}
          allowDeselect={false}
          w={{ base: '100%', sm: 200 }}
        />
        <Select
          label={t('events.status')}
          data={(['parked', 'replayed', 'discarded', 'all'] as const).map((value) => ({
            value,
            label: t(`events.statuses.${value}`),
          }))}
          value={status}
          onChange={(value) => value && filters.set('status', value === 'parked' ? '' : value)}
          allowDeselect={false}
          w={{ base: '100%', sm: 200 }}
        />
        <TypeFilter key={type} initial={type} onApply={(value) => filters.set('type', value)} />
      </Group>
      {/* Keyed: another service or filter starts at the first page. */}
      <ParkedEventsList key={`${service}|${status}|${type}`} service={service} status={status} type={type} />
    </Stack>
  );
}

function TypeFilter({ initial, onApply }: { initial: string; onApply: (value: string) => void }) {
  const { t } = useTranslation('administration');
  const [value, setValue] = useState(initial);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply(value.trim());
      }}
    >
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('events.typeFilter')}
          placeholder="lessor.leasing.contract.signed.v1"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          w={{ base: '100%', sm: 320 }}
        />
        <Button type="submit" variant="default">
          {t('common:actions.search')}
        </Button>
      </Group>
    </form>
  );
}

function ParkedEventsList({
  service,
  status,
  type,
}: {
  service: EventService;
  status: StatusFilter;
  type: string;
}) {
  const { t } = useTranslation('administration');
  const { can } = useSession();
  const client = useQueryClient();
  const [openId, setOpenId] = useState<string | null>(null);
  const events = eventsClient(service);
  const { query: list, pager } = usePagedQuery(['events', service, 'parked', status, type], (cursor) =>
    unwrap(
      events.GET('/v1/events/parked', {
        params: {
          query: {
            limit: 50,
            ...(status === 'all' ? {} : { status }),
            ...(type ? { type } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  );
  const one = useQuery({
    queryKey: ['events', service, 'parked', 'one', openId],
    enabled: openId !== null,
    queryFn: () => unwrap(events.GET('/v1/events/parked/{id}', { params: { path: { id: openId ?? '' } } })),
  });
  const settled = async () => {
    await client.invalidateQueries({ queryKey: ['events', service, 'parked'] });
  };
  const replay = useMutation({
    mutationFn: (id: string) =>
      unwrap(events.POST('/v1/events/parked/{id}/replay', { params: { path: { id } } })),
    onSuccess: async (result) => {
      notifications.show({ color: 'green', message: t(`events.replayed.${result.outcome}`) });
      await settled();
    },
  });
  const discard = useMutation({
    mutationFn: (id: string) =>
      unwrap(events.POST('/v1/events/parked/{id}/discard', { params: { path: { id } } })),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('events.discarded') });
      await settled();
    },
  });
  const open = (event: ParkedEvent) => {
    replay.reset();
    discard.reset();
    setOpenId(event.id);
  };

  return (
    <>
      <DataTable
        caption={t('events.caption', { service })}
        rows={list.data?.items}
        rowKey={(row) => row.id}
        loading={list.isPending}
        error={list.error}
        onRetry={() => void list.refetch()}
        empty={t('events.empty')}
        pager={pager}
        onRowClick={open}
        columns={[
          { key: 'parkedAt', header: t('events.parkedAt'), render: (row) => formatDateTime(row.parkedAt) },
          { key: 'type', header: t('events.type'), render: (row) => <Text size="sm">{row.type}</Text> },
          {
            key: 'reason',
            header: t('events.error'),
            render: (row) => (
              <Text size="sm" lineClamp={2} maw={420}>
                {row.reason}
              </Text>
            ),
          },
          { key: 'attempts', header: t('events.attempts'), align: 'right', render: (row) => row.attempts },
          {
            key: 'status',
            header: t('events.status'),
            render: (row) => (
              <Badge miw="max-content" color={STATUS_COLOR[row.status] ?? 'gray'} variant="light">
                {t(`events.statuses.${row.status}`, { defaultValue: row.status })}
              </Badge>
            ),
          },
          {
            key: 'open',
            header: '',
            render: (row) => (
              <Button
                size="xs"
                variant="default"
                aria-label={t('events.inspectOf', { type: row.type })}
                onClick={(click) => {
                  click.stopPropagation();
                  open(row);
                }}
              >
                {t('events.inspect')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        opened={openId !== null}
        onClose={() => setOpenId(null)}
        position="right"
        size="xl"
        title={t('events.one', { service })}
      >
        {one.data && (
          <ParkedEventView
            event={one.data}
            canWrite={can(`${service}:events:write`)}
            busy={replay.isPending || discard.isPending}
            error={replay.error ?? discard.error ?? one.error}
            onReplay={() => replay.mutate(one.data.id)}
            onDiscard={() => discard.mutate(one.data.id)}
          />
        )}
        {one.isPending && openId !== null && <Text c="dimmed">{t('common:states.loading')}</Text>}
        {one.isError && <Text c="red">{t('common:states.error', { message: one.error.message })}</Text>}
      </Drawer>
    </>
  );
}
