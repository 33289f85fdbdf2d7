import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { formatDate, formatMoneyValue } from '../../i18n/format.ts';
import { Facts } from '../../ui/Facts.tsx';
import { problemDetail, problemTitle } from './ContractActions.tsx';
import { todayUtc } from './contract-actions.ts';
import type { ContractStatus, QuoteBody, TerminationQuote } from './types.ts';

export interface TerminationPanelProps {
  status: ContractStatus;
  /** `leasing:contracts:terminate`: quoting and executing both need it. */
  allowed: boolean;
  /** Asks leasing for a quote; rejects with the API's ApiError when it refuses. */
  onQuote: (body: QuoteBody) => Promise<TerminationQuote>;
  /** Executes a quote: the contract ends early. */
  onExecute: (quote: TerminationQuote) => Promise<unknown>;
}

/**
 * Early termination: a date (and optionally the fee) gives a quote — what the lessee pays to end the lease
 * then; a quote can be executed, after a confirmation, while it is valid.
 */
export function TerminationPanel({ status, allowed, onQuote, onExecute }: TerminationPanelProps) {
  const { t } = useTranslation('contracts');
  const [terminationDate, setTerminationDate] = useState(todayUtc());
  const [feePercent, setFeePercent] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const [quote, setQuote] = useState<TerminationQuote | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [executeError, setExecuteError] = useState<unknown>(null);
  const [executing, setExecuting] = useState(false);

  if (status !== 'active') return <Text size="sm">{t('termination.onlyActive')}</Text>;
  if (!allowed) return <Text size="sm">{t('termination.notAllowed')}</Text>;

  const apiErrors = error instanceof ApiError ? formFieldErrors(error.problem) : {};
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (terminationDate === '') {
      setDateError(t('dialog.required'));
      return;
    }
    setDateError(null);
    setError(null);
    setPending(true);
    try {
      setQuote(
        await onQuote({
          terminationDate,
          // A percentage stays a decimal string; a comma is the German decimal mark.
          ...(feePercent.trim() === '' ? {} : { feePercent: feePercent.trim().replace(',', '.') }),
        }),
      );
    } catch (caught) {
      setQuote(null);
      setError(caught);
    } finally {
      setPending(false);
    }
  };
  const execute = async () => {
    if (!quote) return;
    setExecuteError(null);
    setExecuting(true);
    try {
      await onExecute(quote);
      setConfirming(false);
    } catch (caught) {
      setExecuteError(caught);
    } finally {
      setExecuting(false);
    }
  };

  return (
    <Stack gap="md">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm" maw={480}>
          {error !== null && (
            <Alert color="red" role="alert" title={problemTitle(error)}>
              {problemDetail(error)}
            </Alert>
          )}
          <TextInput
            type="date"
            label={t('termination.date')}
            required
            value={terminationDate}
            onChange={(event) => setTerminationDate(event.currentTarget.value)}
            error={dateError ?? apiErrors.terminationDate}
          />
          <TextInput
            label={t('termination.feePercent')}
            description={t('termination.feePercentHint')}
            inputMode="decimal"
            value={feePercent}
            onChange={(event) => setFeePercent(event.currentTarget.value)}
            error={apiErrors.feePercent}
          />
          <Group>
            <Button type="submit" loading={pending}>
              {t('termination.getQuote')}
            </Button>
          </Group>
        </Stack>
      </form>
      {quote && (
        <QuoteView quote={quote}>
          {quote.executedAt === null && (
            <Button
              color="orange"
              onClick={() => {
                setExecuteError(null);
                setConfirming(true);
              }}
            >
              {t('termination.execute')}
            </Button>
          )}
        </QuoteView>
      )}
      {/* Always rendered, opened and closed: Mantine then knows where to give the focus back. */}
      <Modal
        opened={quote !== null && confirming}
        onClose={() => setConfirming(false)}
        title={t('termination.confirmTitle')}
        centered
      >
        {quote && (
          <Stack gap="sm">
            <Text size="sm">
              {t('termination.confirmText', {
                date: formatDate(quote.terminationDate),
                total: formatMoneyValue(quote.total),
              })}
            </Text>
            {executeError !== null && (
              <Alert color="red" role="alert" title={problemTitle(executeError)}>
                {problemDetail(executeError)}
              </Alert>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common:actions.cancel')}
              </Button>
              <Button color="orange" loading={executing} onClick={() => void execute()}>
                {t('common:actions.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

/** The amounts of a termination quote. */
export function QuoteView({ quote, children }: { quote: TerminationQuote; children?: ReactNode }) {
  const { t } = useTranslation('contracts');
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="xs">
        {t('termination.quoteTitle', { date: formatDate(quote.terminationDate) })}
      </Title>
      <Facts
        items={[
          [t('termination.remainingPrincipal'), formatMoneyValue(quote.remainingPrincipal)],
          [t('termination.accruedInterest'), formatMoneyValue(quote.accruedInterest)],
          [t('termination.fee'), formatMoneyValue(quote.fee)],
          [t('termination.feeVat'), formatMoneyValue(quote.feeVat)],
          [t('termination.overdue'), formatMoneyValue(quote.overdue)],
          [t('termination.total'), <strong>{formatMoneyValue(quote.total)}</strong>],
          [t('termination.validUntil'), formatDate(quote.validUntil)],
          [t('termination.scheduleVersion'), String(quote.scheduleVersion)],
        ]}
      />
      {children && <Group mt="sm">{children}</Group>}
    </Paper>
  );
}
