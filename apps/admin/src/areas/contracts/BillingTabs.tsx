import { Badge, Paper, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDate, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable, useCursorPager, type CursorPager } from '../../ui/DataTable.tsx';
import { Facts } from '../../ui/Facts.tsx';
import { ErrorState } from '../../ui/QueryState.tsx';
import type { ContractBalance, Invoice, InvoiceSort, Payment, PaymentSort } from './types.ts';

const PAGE_SIZE = 25;

interface ListProps<Row, Sort> {
  rows: Row[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  sort?: Sort;
  onSortChange?: (sort: Sort) => void;
  pager?: CursorPager;
}

const INVOICE_STATUS_COLOR: Record<Invoice['status'], string> = {
  planned: 'gray',
  issued: 'blue',
  'partially-paid': 'yellow',
  paid: 'green',
  cancelled: 'dark',
};

/** The invoices of a contract, as billing planned and issued them. */
export function InvoicesTable(props: ListProps<Invoice, InvoiceSort>) {
  const { t } = useTranslation('contracts');
  return (
    <DataTable
      caption={t('invoices.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      sort={props.sort}
      {...(props.onSortChange
        ? { onSortChange: (sort: string) => props.onSortChange?.(sort as InvoiceSort) }
        : {})}
      empty={t('invoices.empty')}
      columns={[
        {
          key: 'number',
          header: t('invoices.number'),
          render: (row) => row.number ?? t('invoices.notIssued'),
        },
        {
          key: 'kind',
          header: t('invoices.kind'),
          render: (row) =>
            row.installment === null
              ? t(`invoices.kinds.${row.kind}`)
              : `${t(`invoices.kinds.${row.kind}`)} ${row.installment}`,
        },
        {
          key: 'status',
          header: t('invoices.status'),
          render: (row) => (
            <Badge
              variant="light"
              color={INVOICE_STATUS_COLOR[row.status]}
              styles={{ label: { overflow: 'visible' } }}
            >
              {t(`invoices.statuses.${row.status}`)}
            </Badge>
          ),
        },
        {
          key: 'issueDate',
          header: t('invoices.issueDate'),
          sortKey: 'issueDate',
          sortValue: (row) => row.issueDate,
          render: (row) => formatDate(row.issueDate),
        },
        {
          key: 'dueDate',
          header: t('invoices.dueDate'),
          sortKey: 'dueDate',
          sortValue: (row) => row.dueDate,
          render: (row) => formatDate(row.dueDate),
        },
        {
          key: 'total',
          header: t('invoices.total'),
          align: 'right',
          render: (row) => formatMoneyValue(row.total),
        },
        {
          key: 'paid',
          header: t('invoices.paid'),
          align: 'right',
          render: (row) => formatMoneyValue(row.paid),
        },
        {
          key: 'openAmount',
          header: t('invoices.open'),
          align: 'right',
          render: (row) => formatMoneyValue(row.openAmount),
        },
      ]}
    />
  );
}

/** The payments billing matched to a contract. */
export function PaymentsTable(props: ListProps<Payment, PaymentSort>) {
  const { t } = useTranslation('contracts');
  return (
    <DataTable
      caption={t('payments.caption')}
      rows={props.rows}
      rowKey={(row) => row.id}
      loading={props.loading}
      error={props.error}
      {...(props.onRetry ? { onRetry: props.onRetry } : {})}
      {...(props.pager ? { pager: props.pager } : {})}
      sort={props.sort}
      {...(props.onSortChange
        ? { onSortChange: (sort: string) => props.onSortChange?.(sort as PaymentSort) }
        : {})}
      empty={t('payments.empty')}
      columns={[
        {
          key: 'valueDate',
          header: t('payments.valueDate'),
          sortKey: 'valueDate',
          sortValue: (row) => row.valueDate,
          render: (row) => formatDate(row.valueDate),
        },
        { key: 'reference', header: t('payments.reference') },
        { key: 'payerName', header: t('payments.payer'), render: (row) => row.payerName ?? '—' },
        { key: 'source', header: t('payments.source'), render: (row) => t(`payments.sources.${row.source}`) },
        {
          key: 'amount',
          header: t('payments.amount'),
          align: 'right',
          render: (row) => formatMoneyValue(row.amount),
        },
        {
          key: 'allocated',
          header: t('payments.allocated'),
          align: 'right',
          render: (row) => formatMoneyValue(row.allocated),
        },
        {
          key: 'unallocated',
          header: t('payments.unallocated'),
          align: 'right',
          render: (row) => formatMoneyValue(row.unallocated),
        },
      ]}
    />
  );
}

/** What the lessee owes on the contract, and its credit. */
export function BalanceSummary({ balance }: { balance: ContractBalance }) {
  const { t } = useTranslation('contracts');
  return (
    <Paper withBorder p="sm">
      <Facts
        items={[
          [t('balance.invoiced'), formatMoneyValue(balance.invoiced)],
          [t('balance.paid'), formatMoneyValue(balance.paid)],
          [t('balance.penalties'), formatMoneyValue(balance.penalties)],
          [t('balance.open'), formatMoneyValue(balance.openAmount)],
          [t('balance.overdue'), formatMoneyValue(balance.overdueAmount)],
          [t('balance.credit'), formatMoneyValue(balance.credit)],
          [t('balance.openInvoices'), String(balance.openInvoices)],
        ]}
      />
    </Paper>
  );
}

/** Cursor paging that follows the latest answer's `nextCursor`. */
function usePagedList() {
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  return { pager: useCursorPager(nextCursor), setNextCursor };
}

export function InvoicesTab({ contractId }: { contractId: string }) {
  const { can } = useSession();
  const [sort, setSort] = useState<InvoiceSort>('dueDate');
  const { pager, setNextCursor } = usePagedList();
  const query = useQuery({
    queryKey: ['billing', 'invoices', { contractId, sort, cursor: pager.cursor }],
    queryFn: () =>
      unwrap(
        api.billing.GET('/v1/invoices', {
          params: {
            query: { contractId, sort, limit: PAGE_SIZE, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data, setNextCursor]);
  const balance = useQuery({
    queryKey: ['billing', 'contracts', contractId, 'balance'],
    queryFn: () =>
      unwrap(api.billing.GET('/v1/contracts/{id}/balance', { params: { path: { id: contractId } } })),
    enabled: can('billing:invoices:read'),
  });
  return (
    <Stack gap="sm">
      {balance.data && <BalanceSummary balance={balance.data} />}
      {balance.isError && <ErrorState error={balance.error} onRetry={() => void balance.refetch()} />}
      <InvoicesTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        sort={sort}
        onSortChange={(next) => {
          pager.reset();
          setSort(next);
        }}
        pager={pager}
      />
    </Stack>
  );
}

export function PaymentsTab({ contractId }: { contractId: string }) {
  const [sort, setSort] = useState<PaymentSort>('-valueDate');
  const { pager, setNextCursor } = usePagedList();
  const query = useQuery({
    queryKey: ['billing', 'payments', { contractId, sort, cursor: pager.cursor }],
    queryFn: () =>
      unwrap(
        api.billing.GET('/v1/payments', {
          params: {
            query: { contractId, sort, limit: PAGE_SIZE, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data, setNextCursor]);
  return (
    <PaymentsTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      sort={sort}
      onSortChange={(next) => {
        pager.reset();
        setSort(next);
      }}
      pager={pager}
    />
  );
}
