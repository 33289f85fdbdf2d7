import { Button, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatMoneyValue } from '../../../i18n/format.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import type { Payment } from '../common/types.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { MatchPaymentForm } from './MatchPaymentForm.tsx';
import { PaymentTable } from './PaymentTable.tsx';

/** Match a payment to a contract: the mutation every match button shares. */
export function useMatchPayment(onMatched?: () => void) {
  const { t } = useTranslation('billing');
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ paymentId, contractId }: { paymentId: string; contractId: string }) =>
      unwrap(
        api.billing.POST('/v1/payments/{id}/match', {
          params: { path: { id: paymentId } },
          body: { contractId },
        }),
      ),
    onSuccess: async (payment) => {
      await client.invalidateQueries({ queryKey: ['billing'] });
      notifications.show({
        color: 'green',
        message: t('match.done', {
          amount: formatMoneyValue(payment.amount),
          allocated: formatMoneyValue(payment.allocated),
        }),
      });
      onMatched?.();
    },
  });
}

/** The worklist of money nobody could match: why, and a match by hand (billing:payments:write). */
export function UnmatchedPage() {
  const { t } = useTranslation('billing');
  const { can } = useSession();
  const navigate = useNavigate();
  const [matching, setMatching] = useState<Payment | null>(null);
  const match = useMatchPayment(() => setMatching(null));
  const { query, pager } = usePagedQuery(['billing', 'payments', 'unmatched'], (cursor) =>
    unwrap(
      api.billing.GET('/v1/payments', {
        params: {
          query: { limit: 50, status: 'unmatched', sort: 'valueDate', ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  return (
    <BillingFrame section="unmatched">
      <Stack gap="sm">
        <Title order={3}>{t('unmatched.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('unmatched.intro')}
        </Text>
        <PaymentTable
          caption={t('unmatched.title')}
          variant="unmatched"
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          pager={pager}
          empty={t('unmatched.empty')}
          onOpen={(payment) => void navigate(`/billing/payments/${payment.id}`)}
          {...(can('billing:payments:write')
            ? {
                action: (payment: Payment) => (
                  <Button
                    size="xs"
                    variant="light"
                    onClick={(event) => {
                      event.stopPropagation();
                      match.reset();
                      setMatching(payment);
                    }}
                    onKeyDown={(event) => event.stopPropagation()}
                  >
                    {t('match.open')}
                  </Button>
                ),
              }
            : {})}
        />
      </Stack>
      <Modal opened={matching !== null} onClose={() => setMatching(null)} title={t('match.title')} size="lg">
        {matching && (
          <MatchPaymentForm
            payment={matching}
            onSubmit={(contractId) => match.mutate({ paymentId: matching.id, contractId })}
            pending={match.isPending}
            error={match.error}
          />
        )}
      </Modal>
    </BillingFrame>
  );
}
