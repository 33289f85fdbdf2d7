import { Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
import { useListFilters } from '../../../ui/useListFilters.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { CLOSED_LIST, definedOnly, isBusinessDate } from '../common/values.ts';
import { PaymentTable } from './PaymentTable.tsx';

const STATUSES = ['matched', 'unmatched'] as const;
const SORTS = ['valueDate', '-valueDate', 'createdAt', '-createdAt'] as const;
type PaymentSort = (typeof SORTS)[number];

/** Every payment received, filtered by contract, status and value dates (billing:payments:read). */
export function PaymentsPage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const params = useListFilters();
  const status = params.oneOf('status', STATUSES);
  const filters = {
    contractId: params.get('contractId') || undefined,
    status,
    valueFrom: params.valid('valueFrom', isBusinessDate),
    valueTo: params.valid('valueTo', isBusinessDate),
  };
  const sort: PaymentSort = params.oneOf('sort', SORTS) ?? '-createdAt';
  const { query, pager } = usePagedQuery(['billing', 'payments', filters, sort], (cursor) =>
    unwrap(
      api.billing.GET('/v1/payments', {
        params: { query: { limit: 50, sort, ...definedOnly(filters), ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  return (
    <BillingFrame section="payments">
      <Stack gap="sm">
        <Title order={3}>{t('payments.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <ContractSelect
            label={t('payment.contract')}
            value={filters.contractId ?? null}
            onChange={(id) => params.set('contractId', id)}
          />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('payment.status')}
            value={status ?? null}
            onChange={(value) => params.set('status', value)}
            data={STATUSES.map((value) => ({ value, label: t(`paymentStatus.${value}`) }))}
            clearable
            placeholder={t('filters.any')}
          />
          <TextInput
            type="date"
            label={t('filters.valueFrom')}
            value={params.get('valueFrom')}
            onChange={(event) => params.set('valueFrom', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('filters.valueTo')}
            value={params.get('valueTo')}
            onChange={(event) => params.set('valueTo', event.currentTarget.value)}
          />
        </SimpleGrid>
        <PaymentTable
          caption={t('payments.title')}
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          sort={sort}
          onSortChange={(next) => params.set('sort', next)}
          pager={pager}
          onOpen={(payment) => void navigate(`/billing/payments/${payment.id}`)}
        />
      </Stack>
    </BillingFrame>
  );
}
