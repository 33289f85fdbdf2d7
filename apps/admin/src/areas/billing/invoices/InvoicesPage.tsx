import { Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
import { INVOICE_KINDS, INVOICE_STATUSES, type InvoiceKind, type InvoiceStatus } from '../common/types.ts';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { CLOSED_LIST, definedOnly, isBusinessDate } from '../common/values.ts';
import { InvoiceTable } from './InvoiceTable.tsx';

const SORTS = ['dueDate', '-dueDate', 'issueDate', '-issueDate', 'createdAt', '-createdAt'] as const;
type InvoiceSort = (typeof SORTS)[number];

/** The invoice list with its filters in the address (so a filtered list can be linked and comes back). */
export function InvoicesPage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const params = useListFilters();
  const filters = {
    contractId: params.get('contractId') || undefined,
    status: params.oneOf<InvoiceStatus>('status', INVOICE_STATUSES),
    kind: params.oneOf<InvoiceKind>('kind', INVOICE_KINDS),
    dueFrom: params.valid('dueFrom', isBusinessDate),
    dueTo: params.valid('dueTo', isBusinessDate),
  };
  const sort: InvoiceSort = params.oneOf('sort', SORTS) ?? 'dueDate';

  const { query, pager } = usePagedQuery(['billing', 'invoices', filters, sort], (cursor) =>
    unwrap(
      api.billing.GET('/v1/invoices', {
        params: { query: { limit: 50, sort, ...definedOnly(filters), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );

  return (
    <BillingFrame section="invoices">
      <Stack gap="sm">
        <Title order={3}>{t('invoices.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
          <ContractSelect
            label={t('invoice.contract')}
            value={filters.contractId ?? null}
            onChange={(id) => params.set('contractId', id)}
          />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('invoice.status')}
            value={filters.status ?? null}
            onChange={(value) => params.set('status', value)}
            data={INVOICE_STATUSES.map((status) => ({ value: status, label: t(`invoiceStatus.${status}`) }))}
            clearable
            placeholder={t('filters.any')}
          />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('invoice.kind')}
            value={filters.kind ?? null}
            onChange={(value) => params.set('kind', value)}
            data={INVOICE_KINDS.map((kind) => ({ value: kind, label: t(`invoiceKind.${kind}`) }))}
            clearable
            placeholder={t('filters.any')}
          />
          <TextInput
            type="date"
            label={t('filters.dueFrom')}
            value={params.get('dueFrom')}
            onChange={(event) => params.set('dueFrom', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('filters.dueTo')}
            value={params.get('dueTo')}
            onChange={(event) => params.set('dueTo', event.currentTarget.value)}
          />
        </SimpleGrid>
        <InvoiceTable
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          sort={sort}
          onSortChange={(next) => params.set('sort', next === 'dueDate' ? null : next)}
          pager={pager}
          onOpen={(invoice) => void navigate(`/billing/invoices/${invoice.id}`)}
        />
      </Stack>
    </BillingFrame>
  );
}
