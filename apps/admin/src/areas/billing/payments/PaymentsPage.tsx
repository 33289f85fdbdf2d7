import { Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
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
  const [params, setParams] = useSearchParams();
  const date = (name: string) => {
    const value = params.get(name) ?? '';
    return isBusinessDate(value) ? value : undefined;
  };
  const status = STATUSES.find((value) => value === params.get('status'));
  const filters = {
    contractId: params.get('contractId') ?? undefined,
    status,
    valueFrom: date('valueFrom'),
    valueTo: date('valueTo'),
  };
  const sort: PaymentSort = SORTS.find((value) => value === params.get('sort')) ?? '-createdAt';
  const set = (name: string, value: string | null | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
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
            onChange={(id) => set('contractId', id)}
          />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('payment.status')}
            value={status ?? null}
            onChange={(value) => set('status', value)}
            data={STATUSES.map((value) => ({ value, label: t(`paymentStatus.${value}`) }))}
            clearable
            placeholder={t('filters.any')}
          />
          <TextInput
            type="date"
            label={t('filters.valueFrom')}
            value={params.get('valueFrom') ?? ''}
            onChange={(event) => set('valueFrom', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('filters.valueTo')}
            value={params.get('valueTo') ?? ''}
            onChange={(event) => set('valueTo', event.currentTarget.value)}
          />
        </SimpleGrid>
        <PaymentTable
          caption={t('payments.title')}
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          sort={sort}
          onSortChange={(next) => set('sort', next)}
          pager={pager}
          onOpen={(payment) => void navigate(`/billing/payments/${payment.id}`)}
        />
      </Stack>
    </BillingFrame>
  );
}
