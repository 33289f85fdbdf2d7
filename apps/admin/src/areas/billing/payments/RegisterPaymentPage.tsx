import { Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { formatMoneyValue } from '../../../i18n/format.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import type { PaymentRequest } from '../common/types.ts';
import { useIdempotencyKey } from '../common/useIdempotencyKey.ts';
import { PaymentForm } from './PaymentForm.tsx';

/** Register a payment (billing:payments:write); then its page, matched or not. */
export function RegisterPaymentPage() {
  const { t } = useTranslation('billing');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const keyFor = useIdempotencyKey();
  const register = useMutation({
    mutationFn: (body: PaymentRequest) =>
      unwrap(api.billing.POST('/v1/payments', { body, headers: { 'Idempotency-Key': keyFor(body) } })),
    onSuccess: async (payment) => {
      await client.invalidateQueries({ queryKey: ['billing'] });
      notifications.show({
        color: payment.status === 'matched' ? 'green' : 'orange',
        message:
          payment.status === 'matched'
            ? t('payment.registeredMatched', { amount: formatMoneyValue(payment.amount) })
            : t('payment.registeredUnmatched', { amount: formatMoneyValue(payment.amount) }),
      });
      void navigate(`/billing/payments/${payment.id}`);
    },
  });
  return (
    <BillingFrame section="register-payment">
      <Stack gap="sm">
        <Title order={3}>{t('actions.register-payment')}</Title>
        <PaymentForm
          onSubmit={(body) => register.mutate(body)}
          pending={register.isPending}
          error={register.error}
          initialContractId={params.get('contractId')}
        />
      </Stack>
    </BillingFrame>
  );
}
