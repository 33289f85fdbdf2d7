import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { QueryState } from '../../../ui/QueryState.tsx';
import { Field, SmallTable } from '../common/layout.tsx';
import type { CreditNoteDetail } from '../common/types.ts';

/** A credit note: why, what it credited line by line, and where its money went. */
export function CreditNoteCard({ note }: { note: CreditNoteDetail }) {
  const { t } = useTranslation('billing');
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <Field label={t('creditNote.number')}>{note.number}</Field>
          <Field label={t('creditNote.issueDate')}>{formatDate(note.issueDate)}</Field>
          <Field label={t('creditNote.total')}>{formatMoneyValue(note.total)}</Field>
          <Field label={t('creditNote.appliedToInvoice')}>{formatMoneyValue(note.appliedToInvoice)}</Field>
          <Field label={t('creditNote.toCredit')}>{formatMoneyValue(note.toCredit)}</Field>
        </SimpleGrid>
        <Text size="sm" mt="sm">
          {t('creditNote.reasonWas', { reason: note.reason })}
        </Text>
      </Paper>
      <SmallTable
        caption={t('creditNote.linesTitle')}
        head={[t('invoice.position'), t('invoice.lineKind'), t('invoice.description'), t('invoice.amount')]}
        alignRight={[3]}
        empty={t('invoice.noLines')}
        rows={note.lines.map((line) => [
          line.invoiceLine,
          t(`lineKind.${line.kind}`, { defaultValue: line.kind }),
          line.description,
          formatMoneyValue(line.amount),
        ])}
      />
    </Stack>
  );
}

/** A credit note read from the API by its id. */
export function CreditNoteView({ id }: { id: string }) {
  const query = useQuery({
    queryKey: ['billing', 'credit-note', id],
    queryFn: () => unwrap(api.billing.GET('/v1/credit-notes/{id}', { params: { path: { id } } })),
  });
  return (
    <QueryState query={query} isEmpty={() => false}>
      {(note) => <CreditNoteCard note={note} />}
    </QueryState>
  );
}
