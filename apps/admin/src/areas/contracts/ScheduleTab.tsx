import { Group, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/clients.ts';
import { formatDate, formatDecimal, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable } from '../../ui/DataTable.tsx';
import { Facts } from '../../ui/Facts.tsx';
import { ErrorState, LoadingState } from '../../ui/QueryState.tsx';
import type { Schedule } from './types.ts';

/** The schedule of one version: every installment and the totals. */
export function ScheduleTable({ schedule }: { schedule: Schedule }) {
  const { t } = useTranslation('contracts');
  const { totals } = schedule;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('schedule.versionInfo', {
          version: schedule.version,
          from: formatDate(schedule.effectiveFrom),
          rate: `${formatDecimal(schedule.effectiveRate)} %`,
        })}
      </Text>
      <DataTable
        caption={t('schedule.caption')}
        rows={schedule.schedule}
        rowKey={(line) => String(line.n)}
        columns={[
          { key: 'n', header: t('schedule.n'), align: 'right', sortValue: (line) => line.n },
          {
            key: 'dueDate',
            header: t('schedule.dueDate'),
            render: (line) => formatDate(line.dueDate),
            sortValue: (line) => line.dueDate,
          },
          {
            key: 'payment',
            header: t('schedule.payment'),
            align: 'right',
            render: (line) => formatMoneyValue(line.payment),
          },
          {
            key: 'principal',
            header: t('schedule.principal'),
            align: 'right',
            render: (line) => formatMoneyValue(line.principal),
          },
          {
            key: 'interest',
            header: t('schedule.interest'),
            align: 'right',
            render: (line) => formatMoneyValue(line.interest),
          },
          {
            key: 'vat',
            header: t('schedule.vat'),
            align: 'right',
            render: (line) => formatMoneyValue(line.vat),
          },
          {
            key: 'balance',
            header: t('schedule.balance'),
            align: 'right',
            render: (line) => formatMoneyValue(line.balance),
          },
        ]}
      />
      <Facts
        items={[
          [t('schedule.totals.payments'), formatMoneyValue(totals.payments)],
          [t('schedule.totals.principal'), formatMoneyValue(totals.principal)],
          [t('schedule.totals.interest'), formatMoneyValue(totals.interest)],
          [t('schedule.totals.vat'), formatMoneyValue(totals.vat)],
          [t('schedule.totals.paymentsWithVat'), formatMoneyValue(totals.paymentsWithVat)],
          [t('schedule.totals.fees'), formatMoneyValue(totals.fees)],
          [t('schedule.totals.advance'), formatMoneyValue(totals.advance)],
          [t('schedule.totals.residualValue'), formatMoneyValue(totals.residualValue)],
          [t('schedule.totals.totalCost'), formatMoneyValue(totals.totalCost)],
        ]}
      />
    </Stack>
  );
}

/**
 * The schedule tab: the current version, and — once the contract was restructured — a choice of the
 * earlier versions, which stay readable.
 */
export function ScheduleTab({ contractId, currentVersion }: { contractId: string; currentVersion: number }) {
  const { t } = useTranslation('contracts');
  const [version, setVersion] = useState<number>(currentVersion);
  const query = useQuery({
    queryKey: ['leasing', 'contracts', contractId, 'schedule', version],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/contracts/{id}/schedule', {
          params: { path: { id: contractId }, query: { version } },
        }),
      ),
  });
  return (
    <Stack gap="sm">
      {currentVersion > 1 && (
        <Group>
          <Select
            label={t('schedule.version')}
            value={String(version)}
            allowDeselect={false}
            onChange={(value) => value && setVersion(Number(value))}
            data={Array.from({ length: currentVersion }, (_, index) => {
              const v = currentVersion - index;
              return {
                value: String(v),
                label:
                  v === currentVersion
                    ? t('schedule.currentVersion', { version: v })
                    : t('schedule.olderVersion', { version: v }),
              };
            })}
          />
        </Group>
      )}
      {query.isPending ? (
        <LoadingState />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <ScheduleTable schedule={query.data} />
      )}
    </Stack>
  );
}
