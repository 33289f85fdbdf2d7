import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import { SmallTable } from '../common/layout.tsx';
import { ContractRef } from '../common/references.tsx';
import type { BillingRun } from '../common/types.ts';
import { isBusinessDate, today } from '../common/values.ts';

export interface BillingRunFormProps {
  onSubmit: (upTo: string) => void;
  pending?: boolean;
  error?: unknown;
  result?: BillingRun | undefined;
}

/** "Issue everything due up to a date": the date, then what the run issued (nothing when run again). */
export function BillingRunForm({ onSubmit, pending, error, result }: BillingRunFormProps) {
  const { t } = useTranslation('billing');
  const [upTo, setUpTo] = useState(today());
  const [invalid, setInvalid] = useState<string | null>(null);
  const { fieldErrors, other } = splitFieldErrors(error, { upTo: 'upTo' });
  return (
    <Stack gap="md" maw={700}>
      <Text size="sm" c="dimmed">
        {t('run.intro')}
      </Text>
      <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!isBusinessDate(upTo)) return setInvalid(t('form.dateRequired'));
          setInvalid(null);
          onSubmit(upTo);
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput
            type="date"
            label={t('run.upTo')}
            value={upTo}
            onChange={(event) => setUpTo(event.currentTarget.value)}
            error={invalid ?? fieldErrors.upTo}
            required
          />
          <Button type="submit" loading={pending}>
            {t('actions.billing-run')}
          </Button>
        </Group>
      </form>
      {result && (
        <Stack gap="sm">
          <Alert color={result.count > 0 ? 'green' : 'gray'} role="status">
            {t('run.result', { count: result.count, date: formatDate(result.upTo) })}
          </Alert>
          {result.count > 0 && (
            <SmallTable
              caption={t('run.issued')}
              head={[
                t('invoice.number'),
                t('invoice.contract'),
                t('invoice.kind'),
                t('invoice.dueDate'),
                t('invoice.total'),
              ]}
              alignRight={[4]}
              empty=""
              rows={result.issued.map((invoice) => [
                invoice.number,
                <ContractRef key="contract" id={invoice.contractId} />,
                t(`invoiceKind.${invoice.kind}`),
                formatDate(invoice.dueDate),
                formatMoneyValue(invoice.total),
              ])}
            />
          )}
        </Stack>
      )}
    </Stack>
  );
}
