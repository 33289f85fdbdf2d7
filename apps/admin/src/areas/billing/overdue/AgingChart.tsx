import { BarChart } from '@mantine/charts';
import { Paper, Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatLocale, formatMoney } from '../../../i18n/format.ts';
import type { AgingCurrency } from '../common/types.ts';
import { agingChartData } from './aging.ts';

/** An axis tick: a drawn value in short form (`€14K`, `14.000 €`). */
function compactMoney(value: number, currency: string): string {
  return new Intl.NumberFormat(formatLocale(), { style: 'currency', currency, notation: 'compact' }).format(
    value,
  );
}

/**
 * One currency's receivables by days past due: a bar chart, and the same figures as a table (exact amounts, and
 * what a screen reader reads: the chart itself is hidden from it).
 */
export function AgingChart({ aging }: { aging: AgingCurrency }) {
  const { t } = useTranslation('billing');
  const bars = agingChartData(aging, (bucket) => t(`overdue.bucket.${bucket}`));
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>{t('overdue.chartTitle', { currency: aging.currency })}</Title>
        <div aria-hidden="true">
          <BarChart
            h={240}
            data={bars}
            dataKey="label"
            series={[{ name: 'amount', label: t('overdue.amount'), color: 'indigo.6' }]}
            valueFormatter={(value) => formatMoney(String(value), aging.currency)}
            // The axis in short (€14K): full amounts do not fit beside the chart; the table has them exactly.
            yAxisProps={{ tickFormatter: (value: number) => compactMoney(value, aging.currency), width: 64 }}
            tickLine="y"
            withTooltip
          />
        </div>
        <Table.ScrollContainer minWidth={360}>
          <Table verticalSpacing={4}>
            <Table.Caption>{t('overdue.tableCaption', { currency: aging.currency })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('overdue.bucketHeader')}</Table.Th>
                <Table.Th ta="right">{t('overdue.invoices')}</Table.Th>
                <Table.Th ta="right">{t('overdue.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bars.map((bar) => (
                <Table.Tr key={bar.bucket}>
                  <Table.Td>{bar.label}</Table.Td>
                  <Table.Td ta="right">{bar.invoices}</Table.Td>
                  <Table.Td ta="right">{formatMoney(bar.exact, aging.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>{t('overdue.total')}</Table.Th>
                <Table.Th ta="right">{bars.reduce((sum, bar) => sum + bar.invoices, 0)}</Table.Th>
                <Table.Th ta="right">{formatMoney(aging.total.amount, aging.total.currency)}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}
