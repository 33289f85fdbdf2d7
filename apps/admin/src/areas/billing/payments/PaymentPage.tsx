import { Anchor, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { HistoryTab } from '../../../ui/HistoryTab.tsx';
import { QueryState } from '../../../ui/QueryState.tsx';
import { BillingFrame } from '../BillingFrame.tsx';
import { Field, SmallTable } from '../common/layout.tsx';
import { ContractRef, PartyRef } from '../common/references.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { PaymentDetail } from '../common/types.ts';
import { MatchPaymentForm } from './MatchPaymentForm.tsx';
import { useMatchPayment } from './UnmatchedPage.tsx';

function PaymentCard({ payment }: { payment: PaymentDetail }) {
  const { t } = useTranslation('billing');
  const { can } = useSession();
  const match = useMatchPayment();
  return (
    <Stack gap="lg">
      <Group gap="sm">
        <Title order={3}>{t('payment.title', { amount: formatMoneyValue(payment.amount) })}</Title>
        <StatusBadge kind="payment" status={payment.status} />
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('payment.valueDate')}>{formatDate(payment.valueDate)}</Field>
          <Field label={t('payment.amount')}>{formatMoneyValue(payment.amount)}</Field>
          <Field label={t('payment.allocated')}>{formatMoneyValue(payment.allocated)}</Field>
          <Field label={t('payment.unallocated')}>{formatMoneyValue(payment.unallocated)}</Field>
          <Field label={t('payment.contract')}>
            <ContractRef id={payment.contractId} />
          </Field>
          <Field label={t('invoice.party')}>
            <PartyRef id={payment.partyId} />
          </Field>
          <Field label={t('payment.reference')}>{payment.reference || '—'}</Field>
          <Field label={t('payment.bankReference')}>{payment.bankReference ?? '—'}</Field>
          <Field label={t('payment.payerName')}>{payment.payerName ?? '—'}</Field>
          <Field label={t('payment.payerAccount')}>{payment.payerAccount ?? '—'}</Field>
          <Field label={t('payment.source')}>
            {payment.importId ? (
              <Anchor component={Link} to={`/billing/imports/${payment.importId}`} size="sm">
                {t('payment.importLine', { line: payment.importLine ?? '?' })}
              </Anchor>
            ) : (
              t(`paymentSource.${payment.source}`)
            )}
          </Field>
          <Field label={t('payment.matchDate')}>{formatDate(payment.matchDate)}</Field>
        </SimpleGrid>
        {payment.matchNote && (
          <Text size="sm" c="dimmed" mt="sm">
            {payment.matchNote}
          </Text>
        )}
      </Paper>
      {payment.status === 'unmatched' && can('billing:payments:write') && (
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            {t('match.title')}
          </Title>
          <MatchPaymentForm
            payment={payment}
            withSummary={false}
            onSubmit={(contractId) => match.mutate({ paymentId: payment.id, contractId })}
            pending={match.isPending}
            error={match.error}
          />
        </Paper>
      )}
      <SmallTable
        caption={t('payment.allocations')}
        head={[
          t('payment.valueDate'),
          t('payment.invoice'),
          t('parts.penalty'),
          t('parts.interest'),
          t('parts.principal'),
          t('parts.fees'),
          t('parts.vat'),
          t('parts.total'),
        ]}
        alignRight={[2, 3, 4, 5, 6, 7]}
        empty={t('payment.noAllocations')}
        rows={payment.allocations.map((allocation) => [
          formatDate(allocation.valueDate),
          <Anchor key="invoice" component={Link} to={`/billing/invoices/${allocation.invoiceId}`} size="sm">
            {t('payment.openInvoice')}
          </Anchor>,
          formatMoneyValue(allocation.penalty),
          formatMoneyValue(allocation.interest),
          formatMoneyValue(allocation.principal),
          formatMoneyValue(allocation.fees),
          formatMoneyValue(allocation.vat),
          formatMoneyValue(allocation.total),
        ])}
      />
    </Stack>
  );
}

/** One payment: where its money went, and the match form while it is unmatched. */
export function PaymentPage() {
  const { t } = useTranslation('billing');
  const { id = '' } = useParams();
  const { can } = useSession();
  const query = useQuery({
    queryKey: ['billing', 'payment', id],
    queryFn: () => unwrap(api.billing.GET('/v1/payments/{id}', { params: { path: { id } } })),
  });
  return (
    <BillingFrame section="payments">
      <Anchor component={Link} to="/billing/payments" size="sm">
        {t('payments.back')}
      </Anchor>
      <QueryState query={query} isEmpty={() => false}>
        {(payment) =>
          can('audit:records:read') ? (
            <Tabs defaultValue="payment" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="payment">{t('payment.tab')}</Tabs.Tab>
                <Tabs.Tab value="history">{t('common:history.title')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="payment" pt="md">
                <PaymentCard payment={payment} />
              </Tabs.Panel>
              <Tabs.Panel value="history" pt="md">
                <HistoryTab entityType="payment" entityId={payment.id} />
              </Tabs.Panel>
            </Tabs>
          ) : (
            <PaymentCard payment={payment} />
          )
        }
      </QueryState>
    </BillingFrame>
  );
}
