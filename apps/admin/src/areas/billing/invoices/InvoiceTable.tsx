import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DataTable, type CursorPager } from '../../../ui/DataTable.tsx';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { ContractRef } from '../common/references.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { Invoice } from '../common/types.ts';

export interface InvoiceTableProps {
  rows: Invoice[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort?: string;
  onSortChange?: (sort: string) => void;
  pager?: CursorPager;
  onOpen?: (invoice: Invoice) => void;
  caption?: string;
}

/** Invoices: number (none while planned), contract, kind, dates, amounts and status; sorted by the API. */
export function InvoiceTable(props: InvoiceTableProps) {
  const { t } = useTranslation('billing');
  return (
    <DataTable
      caption={props.caption ?? t('invoices.title')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      sort={props.sort}
      {...(props.onSortChange ? { onSortChange: props.onSortChange } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      {...(props.onOpen ? { onRowClick: props.onOpen } : {})}
      empty={t('invoices.empty')}
      columns={[
        {
          key: 'number',
          header: t('invoice.number'),
          render: (row) =>
            row.number ? (
              <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
                {row.number}
              </Text>
            ) : (
              <Text span size="sm" c="dimmed">
                {t('invoice.notNumbered')}
              </Text>
            ),
        },
        {
          key: 'contract',
          header: t('invoice.contract'),
          render: (row) => <ContractRef id={row.contractId} />,
        },
        {
          key: 'kind',
          header: t('invoice.kind'),
          render: (row) =>
            `${t(`invoiceKind.${row.kind}`)}${row.installment !== null ? ` ${row.installment}` : ''}`,
        },
        {
          key: 'issueDate',
          header: t('invoice.issueDate'),
          sortKey: 'issueDate',
          render: (row) => formatDate(row.issueDate),
        },
        {
          key: 'dueDate',
          header: t('invoice.dueDate'),
          sortKey: 'dueDate',
          render: (row) => formatDate(row.dueDate),
        },
        {
          key: 'total',
          header: t('invoice.total'),
          align: 'right',
          render: (row) => formatMoneyValue(row.total),
        },
        {
          key: 'openAmount',
          header: t('invoice.openAmount'),
          align: 'right',
          render: (row) => formatMoneyValue(row.openAmount),
        },
        {
          key: 'status',
          header: t('invoice.status'),
          render: (row) => <StatusBadge kind="invoice" status={row.status} />,
        },
      ]}
    />
  );
}
