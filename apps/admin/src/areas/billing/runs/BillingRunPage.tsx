import { Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { BillingFrame } from '../BillingFrame.tsx';
import { BillingRunForm } from './BillingRunForm.tsx';

/** The billing run page (billing:runs:write). */
export function BillingRunPage() {
  const { t } = useTranslation('billing');
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: (upTo: string) => unwrap(api.billing.POST('/v1/billing-runs', { body: { upTo } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['billing'] }),
  });
  return (
    <BillingFrame section="billing-run">
      <Stack gap="sm">
        <Title order={3}>{t('actions.billing-run')}</Title>
        <BillingRunForm
          onSubmit={(upTo) => run.mutate(upTo)}
          pending={run.isPending}
          error={run.error}
          result={run.data}
        />
      </Stack>
    </BillingFrame>
  );
}
