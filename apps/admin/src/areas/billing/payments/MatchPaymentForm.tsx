import { Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import type { Payment } from '../common/types.ts';
import { isUuid } from '../common/values.ts';

export interface MatchPaymentFormProps {
  payment: Pick<Payment, 'amount' | 'valueDate' | 'reference' | 'matchNote'>;
  onSubmit: (contractId: string) => void;
  pending?: boolean;
  error?: unknown;
  /** Whether to say which payment this is (not needed on the payment's own page). */
  withSummary?: boolean;
}

/** Match an unmatched payment to a contract by hand; the API then allocates it like any matched payment. */
export function MatchPaymentForm({
  payment,
  onSubmit,
  pending,
  error,
  withSummary = true,
}: MatchPaymentFormProps) {
  const { t } = useTranslation('billing');
  const [contractId, setContractId] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const { fieldErrors, other } = splitFieldErrors(error, { contractId: 'contractId' });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!contractId) return setInvalid(t('form.contractRequired'));
        if (!isUuid(contractId)) return setInvalid(t('form.contractInvalid'));
        setInvalid(null);
        onSubmit(contractId);
      }}
    >
      <Stack gap="sm">
        {withSummary && (
          <>
            <Text size="sm">
              {t('match.summary', {
                amount: formatMoneyValue(payment.amount),
                date: formatDate(payment.valueDate),
                reference: payment.reference || '—',
              })}
            </Text>
            {payment.matchNote && (
              <Text size="sm" c="dimmed">
                {payment.matchNote}
              </Text>
            )}
          </>
        )}
        <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <ContractSelect
          label={t('payment.contract')}
          value={contractId}
          onChange={(id) => {
            setContractId(id);
            setInvalid(null);
          }}
          error={invalid ?? fieldErrors.contractId}
          required
        />
        <Group>
          <Button type="submit" loading={pending}>
            {t('match.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
