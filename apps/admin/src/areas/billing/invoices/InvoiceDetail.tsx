import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDecimal, formatMoneyValue } from '../../../i18n/format.ts';
import { Field, SmallTable } from '../common/layout.tsx';
import { sameDecimal } from '../common/values.ts';
import { ContractRef, PartyRef } from '../common/references.tsx';
import { StatusBadge } from '../common/StatusBadge.tsx';
import type { InvoiceDetail as Invoice } from '../common/types.ts';

/** An invoice: what it asks for and why (its lines), what paid it, the penalties it caused, its dunning. */
export function InvoiceDetail({
  invoice,
  onOpenCreditNote,
}: {
  invoice: Invoice;
  onOpenCreditNote?: (id: string) => void;
}) {
  const { t } = useTranslation('billing');
  return (
    <Stack gap="lg">
      <Group gap="sm" wrap="wrap">
        <Title order={3}>
          {invoice.number
            ? t('invoice.titleNumbered', { number: invoice.number })
            : t('invoice.titlePlanned')}
        </Title>
        <StatusBadge kind="invoice" status={invoice.status} />
        {invoice.dunning.length > 0 && (
          <Badge color="red" variant="outline">
            {t('invoice.dunningLevel', { level: Math.max(...invoice.dunning.map((d) => d.level)) })}
          </Badge>
        )}
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('invoice.contract')}>
            <ContractRef id={invoice.contractId} />
          </Field>
          <Field label={t('invoice.party')}>
            <PartyRef id={invoice.partyId} />
          </Field>
          <Field label={t('invoice.kind')}>
            {t(`invoiceKind.${invoice.kind}`)}
            {invoice.installment !== null ? ` ${invoice.installment}` : ''}
          </Field>
          <Field label={t('invoice.legalEntity')}>{invoice.legalEntity}</Field>
          <Field label={t('invoice.issueDate')}>{formatDate(invoice.issueDate)}</Field>
          <Field label={t('invoice.dueDate')}>{formatDate(invoice.dueDate)}</Field>
          <Field label={t('invoice.total')}>{formatMoneyValue(invoice.total)}</Field>
          <Field label={t('invoice.penalties')}>{formatMoneyValue(invoice.penalties)}</Field>
          <Field label={t('invoice.paid')}>{formatMoneyValue(invoice.paid)}</Field>
          {/* Absent from a billing that predates credit notes (a UI newer than its service). */}
          {invoice.credited && !sameDecimal(invoice.credited.amount, '0') && (
            <Field label={t('invoice.credited')}>{formatMoneyValue(invoice.credited)}</Field>
          )}
          <Field label={t('invoice.openAmount')}>
            <Text span fw={600} size="sm">
              {formatMoneyValue(invoice.openAmount)}
            </Text>
          </Field>
          {invoice.cancelReason && <Field label={t('invoice.cancelReason')}>{invoice.cancelReason}</Field>}
        </SimpleGrid>
      </Paper>
      <SmallTable
        caption={t('invoice.lines')}
        head={[t('invoice.position'), t('invoice.lineKind'), t('invoice.description'), t('invoice.amount')]}
        alignRight={[3]}
        empty={t('invoice.noLines')}
        rows={invoice.lines.map((line) => [
          line.position,
          t(`lineKind.${line.kind}`, { defaultValue: line.kind }),
          line.description,
          formatMoneyValue(line.amount),
        ])}
      />
      <SmallTable
        caption={t('invoice.parts')}
        head={[t('parts.principal'), t('parts.interest'), t('parts.fees'), t('parts.vat'), t('parts.total')]}
        alignRight={[0, 1, 2, 3, 4]}
        empty=""
        rows={[
          [
            formatMoneyValue(invoice.principal),
            formatMoneyValue(invoice.interest),
            formatMoneyValue(invoice.fees),
            formatMoneyValue(invoice.vat),
            formatMoneyValue(invoice.total),
          ],
        ]}
      />
      <SmallTable
        caption={t('invoice.allocations')}
        head={[
          t('payment.valueDate'),
          t('invoice.payment'),
          t('parts.penalty'),
          t('parts.interest'),
          t('parts.principal'),
          t('parts.fees'),
          t('parts.vat'),
          t('parts.total'),
        ]}
        alignRight={[2, 3, 4, 5, 6, 7]}
        empty={t('invoice.noAllocations')}
        rows={invoice.allocations.map((allocation) => [
          formatDate(allocation.valueDate),
          <Anchor key="payment" component={Link} to={`/billing/payments/${allocation.paymentId}`} size="sm">
            {t('invoice.openPayment')}
          </Anchor>,
          formatMoneyValue(allocation.penalty),
          formatMoneyValue(allocation.interest),
          formatMoneyValue(allocation.principal),
          formatMoneyValue(allocation.fees),
          formatMoneyValue(allocation.vat),
          formatMoneyValue(allocation.total),
        ])}
      />
      <SmallTable
        caption={t('invoice.penaltyCharges')}
        head={[
          t('invoice.chargeDate'),
          t('invoice.daysOverdue'),
          t('invoice.penaltyBase'),
          t('invoice.penaltyRate'),
          t('invoice.amount'),
        ]}
        alignRight={[1, 2, 3, 4]}
        empty={t('invoice.noPenalties')}
        rows={invoice.penaltyCharges.map((charge) => [
          formatDate(charge.chargeDate),
          charge.daysOverdue,
          formatMoneyValue(charge.base),
          `${formatDecimal(charge.rate)} %`,
          formatMoneyValue(charge.amount),
        ])}
      />
      <SmallTable
        caption={t('invoice.creditNotes')}
        head={[t('creditNote.number'), t('creditNote.issueDate'), t('creditNote.total')]}
        alignRight={[2]}
        empty={t('invoice.noCreditNotes')}
        rows={(invoice.creditNotes ?? []).map((note) => [
          onOpenCreditNote ? (
            <Anchor
              key="number"
              component="button"
              type="button"
              size="sm"
              onClick={() => onOpenCreditNote(note.id)}
            >
              {note.number}
            </Anchor>
          ) : (
            note.number
          ),
          formatDate(note.issueDate),
          formatMoneyValue(note.total),
        ])}
      />
      <SmallTable
        caption={t('invoice.dunning')}
        head={[t('invoice.level'), t('invoice.reachedOn')]}
        empty={t('invoice.noDunning')}
        rows={invoice.dunning.map((level) => [level.level, formatDate(level.reachedOn)])}
      />
    </Stack>
  );
}
