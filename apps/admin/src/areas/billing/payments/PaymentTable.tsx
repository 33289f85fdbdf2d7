import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { DataTable, type Column, type CursorPager } from '../../../ui/DataTable.tsx';
import { ContractRef } from '../common/references.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { Payment } from '../common/types.ts';

export interface PaymentTableProps {
  rows: Payment[] | undefined;
  caption: string;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort?: string;
  onSortChange?: (sort: string) => void;
  pager?: CursorPager;
  onOpen?: (payment: Payment) => void;
  /** `unmatched`: the worklist's columns (why it is unmatched, and the action). */
  variant?: 'all' | 'unmatched';
  action?: (payment: Payment) => ReactNode;
  empty?: string;
}

/** Payments received: value date, amount, contract, what the payer wrote, and how much is allocated. */
export function PaymentTable(props: PaymentTableProps) {
  const { t } = useTranslation('billing');
  const columns: Column<Payment>[] = [
    {
      key: 'valueDate',
      header: t('payment.valueDate'),
      sortKey: 'valueDate',
      render: (row) => formatDate(row.valueDate),
    },
    {
      key: 'amount',
      header: t('payment.amount'),
      align: 'right',
      render: (row) => formatMoneyValue(row.amount),
    },
    {
      key: 'reference',
      header: t('payment.reference'),
      render: (row) => (
        <Text size="sm" lineClamp={2} title={row.reference}>
          {row.reference || '—'}
        </Text>
      ),
    },
    {
      key: 'payer',
      header: t('payment.payer'),
      render: (row) => (
        <Text size="sm" title={row.payerAccount ?? undefined}>
          {row.payerName ?? row.payerAccount ?? '—'}
        </Text>
      ),
    },
  ];
  if (props.variant === 'unmatched') {
    columns.push({
      key: 'matchNote',
      header: t('payment.matchNote'),
      render: (row) => <Text size="sm">{row.matchNote ?? '—'}</Text>,
    });
    if (props.action) columns.push({ key: 'action', header: t('payment.action'), render: props.action });
  } else {
    columns.push(
      {
        key: 'contract',
        header: t('payment.contract'),
        render: (row) => <ContractRef id={row.contractId} />,
      },
      {
        key: 'unallocated',
        header: t('payment.unallocated'),
        align: 'right',
        render: (row) => formatMoneyValue(row.unallocated),
      },
      { key: 'source', header: t('payment.source'), render: (row) => t(`paymentSource.${row.source}`) },
      {
        key: 'status',
        header: t('payment.status'),
        render: (row) => <StatusBadge kind="payment" status={row.status} />,
      },
    );
  }
  return (
    <DataTable
      caption={props.caption}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      sort={props.sort}
      {...(props.onSortChange ? { onSortChange: props.onSortChange } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      {...(props.onOpen ? { onRowClick: props.onOpen } : {})}
      empty={props.empty ?? t('payments.empty')}
      columns={columns}
    />
  );
}
