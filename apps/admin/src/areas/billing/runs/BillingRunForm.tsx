import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../auth/useSession.ts';
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

type SkippedInvoice = BillingRun['skipped'][number];

/**
 * The contract of an invoice a run did not issue, by the number the run names (no lookup), linked to its card
 * when the user may read contracts; without a number, the start of its id (the whole id as the tooltip).
 */
function SkippedContract({ invoice }: { invoice: SkippedInvoice }) {
  const { can } = useSession();
  const label = invoice.contractNumber || `${invoice.contractId.slice(0, 8)}…`;
  if (!can('leasing:contracts:read')) {
    return (
      <Text span size="sm" title={invoice.contractId} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
    );
  }
  return (
    <Anchor
      component={Link}
      to={`/contracts/${invoice.contractId}`}
      size="sm"
      title={invoice.contractId}
      style={{ whiteSpace: 'nowrap' }}
    >
      {label}
    </Anchor>
  );
}

/**
 * "Issue everything due up to a date": the date, then what the run issued (nothing when run again) and every
 * invoice it found due and did not issue, with the reason in words, so none is skipped unseen.
 */
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
            {result.count === 0 && result.skipped.length > 0
              ? // Something was due: "nothing was due" would hide it.
                t('run.noneIssued', { date: formatDate(result.upTo) })
              : t('run.result', { count: result.count, date: formatDate(result.upTo) })}
          </Alert>
          {result.skipped.length > 0 && (
            <Alert color="yellow" role="alert">
              {t('run.skippedSummary', { count: result.skipped.length })}
            </Alert>
          )}
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
          {result.skipped.length > 0 && (
            <SmallTable
              caption={t('run.skipped')}
              head={[
                t('invoice.contract'),
                t('run.invoice'),
                t('run.plannedIssueDate'),
                t('run.reason'),
                t('run.detail'),
              ]}
              empty=""
              rows={result.skipped.map((invoice) => [
                <SkippedContract key="contract" invoice={invoice} />,
                invoice.installment === null
                  ? t(`invoiceKind.${invoice.kind}`)
                  : t('run.withInstallment', {
                      kind: t(`invoiceKind.${invoice.kind}`),
                      installment: invoice.installment,
                    }),
                formatDate(invoice.issueDate),
                t(`skipReason.${invoice.reason}`),
                <Text key="detail" span size="sm" c="dimmed">
                  {invoice.detail}
                </Text>,
              ])}
            />
          )}
        </Stack>
      )}
    </Stack>
  );
}
