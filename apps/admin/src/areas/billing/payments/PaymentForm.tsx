import { Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { ContractSelect } from '../common/ContractSelect.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import type { PaymentRequest } from '../common/types.ts';
import { isBusinessDate, isUuid, parseAmountInput, today } from '../common/values.ts';

export interface PaymentFormValues {
  contractId: string | null;
  amount: string;
  currency: string;
  valueDate: string;
  reference: string;
  bankReference: string;
  payerName: string;
}

/** The API's names for the payment's fields, as the form calls them. */
const API_FIELDS: Record<string, keyof PaymentFormValues> = {
  contractId: 'contractId',
  amount: 'amount',
  'amount.amount': 'amount',
  'amount.currency': 'currency',
  valueDate: 'valueDate',
  reference: 'reference',
  bankReference: 'bankReference',
  payerName: 'payerName',
};

/**
 * The request for the form's values: the amount exactly as typed (a decimal comma becomes a point), with its
 * currency when one is given (`{amount, currency}`, the API's preferred form), else as a plain decimal the API
 * takes in the contract's currency.
 */
export function paymentRequest(values: PaymentFormValues): PaymentRequest {
  const amount = parseAmountInput(values.amount) ?? values.amount.trim();
  const currency = values.currency.trim().toUpperCase();
  return {
    ...(values.contractId ? { contractId: values.contractId } : {}),
    amount: currency ? { amount, currency } : amount,
    valueDate: values.valueDate,
    reference: values.reference.trim(),
    ...(values.bankReference.trim() ? { bankReference: values.bankReference.trim() } : {}),
    ...(values.payerName.trim() ? { payerName: values.payerName.trim() } : {}),
  };
}

export interface PaymentFormProps {
  onSubmit: (request: PaymentRequest) => void;
  pending?: boolean;
  /** The API's refusal of the last submission: field errors go beside their inputs, the rest on top. */
  error?: unknown;
  initialContractId?: string | null;
}

/** Register a payment received: contract (or a reference that names it), amount, value date, reference. */
export function PaymentForm({ onSubmit, pending, error, initialContractId = null }: PaymentFormProps) {
  const { t } = useTranslation('billing');
  const form = useForm<PaymentFormValues>({
    initialValues: {
      contractId: initialContractId,
      amount: '',
      currency: '',
      valueDate: today(),
      reference: '',
      bankReference: '',
      payerName: '',
    },
    validate: {
      contractId: (value) => (value && !isUuid(value) ? t('form.contractInvalid') : null),
      amount: (value) =>
        value.trim() === ''
          ? t('form.amountRequired')
          : parseAmountInput(value)
            ? null
            : t('form.amountInvalid'),
      currency: (value) =>
        value.trim() && !/^[A-Za-z]{3}$/.test(value.trim()) ? t('form.currencyInvalid') : null,
      valueDate: (value) =>
        value === '' ? t('form.dateRequired') : isBusinessDate(value) ? null : t('form.dateInvalid'),
    },
  });
  const { fieldErrors, other } = splitFieldErrors(error, API_FIELDS);
  const apiErrorKey = JSON.stringify(fieldErrors);
  useEffect(() => {
    // Each refusal puts its messages beside the fields once; typing in a field clears its message.
    if (Object.keys(fieldErrors).length > 0) form.setErrors(fieldErrors);
  }, [error, apiErrorKey]);

  return (
    <form noValidate onSubmit={form.onSubmit((values) => onSubmit(paymentRequest(values)))}>
      <Stack gap="md" maw={700}>
        <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <ContractSelect
          label={t('payment.contract')}
          description={t('payment.contractHelp')}
          value={form.values.contractId}
          onChange={(id, contract) => {
            form.setFieldValue('contractId', id);
            if (contract?.currency && form.values.currency === '')
              form.setFieldValue('currency', contract.currency);
          }}
          error={form.errors.contractId}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <TextInput
            label={t('payment.amount')}
            inputMode="decimal"
            autoComplete="off"
            required
            {...form.getInputProps('amount')}
          />
          <TextInput
            label={t('payment.currency')}
            description={t('payment.currencyHelp')}
            maxLength={3}
            autoComplete="off"
            {...form.getInputProps('currency')}
          />
          <TextInput
            type="date"
            label={t('payment.valueDate')}
            required
            {...form.getInputProps('valueDate')}
          />
          <TextInput label={t('payment.reference')} autoComplete="off" {...form.getInputProps('reference')} />
          <TextInput
            label={t('payment.bankReference')}
            autoComplete="off"
            {...form.getInputProps('bankReference')}
          />
          <TextInput label={t('payment.payerName')} autoComplete="off" {...form.getInputProps('payerName')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={pending}>
            {t('actions.register-payment')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
