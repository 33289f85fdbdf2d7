import { Button, Checkbox, Group, Radio, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoneyValue } from '../../../i18n/format.ts';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { FormProblem } from '../common/FormProblem.tsx';
import type { CreditNoteRequest, InvoiceDetail } from '../common/types.ts';
import { parseAmountInput } from '../common/values.ts';

type InvoiceLine = InvoiceDetail['lines'][number];

export interface CreditNoteFormProps {
  lines: InvoiceLine[];
  onSubmit: (request: CreditNoteRequest) => void;
  pending?: boolean;
  error?: unknown;
  /** The positions of the lines the last submission named, in its order: the API names a line by its index. */
  submittedPositions?: number[];
}

/**
 * Correct an issued invoice: in full, or the chosen lines (each by an amount, or all that is left of it when the
 * amount is empty). What is left of a line is the API's to know: it refuses more, naming the line.
 */
export function CreditNoteForm({
  lines,
  onSubmit,
  pending,
  error,
  submittedPositions = [],
}: CreditNoteFormProps) {
  const { t } = useTranslation('billing');
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState<'all' | 'lines'>('all');
  const [chosen, setChosen] = useState<Record<number, { on: boolean; amount: string }>>({});
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // The API names `/body/lines/<index>/amount`: the index is into the lines sent, turned back into positions here.
  const apiFields: Record<string, string> = { reason: 'reason', lines: 'lines' };
  submittedPositions.forEach((position, index) => {
    apiFields[`lines.${index}`] = `line-${position}`;
    apiFields[`lines.${index}.amount`] = `line-${position}`;
    apiFields[`lines.${index}.position`] = `line-${position}`;
  });
  const { fieldErrors, other } = splitFieldErrors(error, apiFields);
  const errorOf = (field: string) => invalid[field] ?? fieldErrors[field];

  const submit = () => {
    const problems: Record<string, string> = {};
    if (reason.trim() === '') problems.reason = t('creditNote.reasonRequired');
    const named = lines.filter((line) => chosen[line.position]?.on);
    if (scope === 'lines' && named.length === 0) problems.lines = t('creditNote.linesRequired');
    const request: CreditNoteRequest = { reason: reason.trim() };
    if (scope === 'lines') {
      request.lines = named.map((line) => {
        const typed = chosen[line.position]?.amount.trim() ?? '';
        if (typed === '') return { position: line.position };
        const amount = parseAmountInput(typed);
        if (!amount) problems[`line-${line.position}`] = t('form.amountInvalid');
        return { position: line.position, amount: amount ?? typed };
      });
    }
    setInvalid(problems);
    if (Object.keys(problems).length === 0) onSubmit(request);
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="md">
        <FormProblem error={error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <Textarea
          label={t('creditNote.reason')}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setInvalid(({ reason: _, ...rest }) => rest);
          }}
          error={errorOf('reason')}
          required
          rows={2}
        />
        <Radio.Group
          label={t('creditNote.scope')}
          value={scope}
          onChange={(value) => setScope(value === 'lines' ? 'lines' : 'all')}
          error={errorOf('lines')}
        >
          <Group mt={4}>
            <Radio value="all" label={t('creditNote.scopeAll')} />
            <Radio value="lines" label={t('creditNote.scopeLines')} />
          </Group>
        </Radio.Group>
        {scope === 'lines' && (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing={4}>
              <Table.Caption>{t('creditNote.linesCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('creditNote.credit')}</Table.Th>
                  <Table.Th>{t('invoice.description')}</Table.Th>
                  <Table.Th ta="right">{t('invoice.amount')}</Table.Th>
                  <Table.Th>{t('creditNote.amountToCredit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((line) => {
                  const state = chosen[line.position] ?? { on: false, amount: '' };
                  const set = (next: Partial<typeof state>) =>
                    setChosen((current) => ({ ...current, [line.position]: { ...state, ...next } }));
                  return (
                    <Table.Tr key={line.position}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('creditNote.creditLine', { position: line.position })}
                          checked={state.on}
                          onChange={(event) => set({ on: event.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{line.description}</Text>
                      </Table.Td>
                      <Table.Td ta="right">{formatMoneyValue(line.amount)}</Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          aria-label={t('creditNote.lineAmount', { position: line.position })}
                          placeholder={t('creditNote.allLeft')}
                          inputMode="decimal"
                          disabled={!state.on}
                          value={state.amount}
                          onChange={(event) => set({ amount: event.currentTarget.value })}
                          error={errorOf(`line-${line.position}`)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group>
          <Button type="submit" color="orange" loading={pending}>
            {t('creditNote.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
