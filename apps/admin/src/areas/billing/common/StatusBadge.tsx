import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const INVOICE_COLORS: Record<string, string> = {
  planned: 'gray',
  issued: 'blue',
  'partially-paid': 'yellow',
  paid: 'green',
  cancelled: 'dark',
};

const PAYMENT_COLORS: Record<string, string> = { matched: 'green', unmatched: 'orange' };

const LINE_COLORS: Record<string, string> = {
  pending: 'gray',
  matched: 'green',
  unmatched: 'orange',
  refused: 'red',
  skipped: 'gray',
};

/** A status as a coloured word, in the user's language (`invoiceStatus.paid`, `paymentStatus.matched`…). */
export function StatusBadge({
  kind,
  status,
}: {
  kind: 'invoice' | 'payment' | 'line' | 'import';
  status: string;
}) {
  const { t } = useTranslation('billing');
  const colors =
    kind === 'invoice'
      ? INVOICE_COLORS
      : kind === 'payment'
        ? PAYMENT_COLORS
        : kind === 'line'
          ? LINE_COLORS
          : { running: 'blue', completed: 'green' };
  return (
    <Badge variant="light" color={colors[status] ?? 'gray'} miw="max-content">
      {t(`${kind}Status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
