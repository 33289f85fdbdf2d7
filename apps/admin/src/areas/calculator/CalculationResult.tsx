import { CompositeChart } from '@mantine/charts';
import {
  Badge,
  Box,
  Button,
  Card,
  Group,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { calculationLabel } from './calculation-label.ts';
import { formatDate, formatDecimal, formatMoney, formatMoneyValue } from '../../i18n/format.ts';
import type { Calculation, Money } from './types.ts';

/** Digits of equal width, so amounts line up in columns. */
const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

/** A calculation's outcome: saved state, totals and effective rate, the schedule as a chart and a table. */
export function CalculationResult({
  calculation,
  productName,
  onMakeContract,
  canMakeContract,
}: {
  calculation: Calculation;
  productName?: string | undefined;
  onMakeContract?: () => void;
  canMakeContract: boolean;
}) {
  const { t } = useTranslation('calculator');
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={3}>{t('result.title')}</Title>
          <Group gap="xs">
            <Badge color="green" variant="light">
              {t('result.saved')}
            </Badge>
            <Text size="sm" c="dimmed">
              <span title={calculation.id}>
                {t('result.savedAs', { label: calculationLabel(calculation, t) })}
              </span>
              {productName ? ` · ${productName}` : ''}
            </Text>
          </Group>
        </Stack>
        {canMakeContract && (
          <Stack gap={2} align="flex-end">
            <Button onClick={onMakeContract} disabled={calculation.productId === null}>
              {t('result.makeContract')}
            </Button>
            {calculation.productId === null && (
              <Text size="xs" c="dimmed">
                {t('result.noProduct')}
              </Text>
            )}
          </Stack>
        )}
      </Group>
      <CalculationTotals calculation={calculation} />
      <ScheduleChart calculation={calculation} />
      <ScheduleTable calculation={calculation} />
    </Stack>
  );
}

function Figure({ label, children, strong }: { label: string; children: string; strong?: boolean }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size={strong ? 'lg' : 'md'} fw={strong ? 700 : 500} style={TABULAR}>
        {children}
      </Text>
    </Card>
  );
}

/** The totals as the API summed them (never added up here) and the effective annual rate. */
export function CalculationTotals({ calculation }: { calculation: Calculation }) {
  const { t } = useTranslation('calculator');
  const { totals } = calculation;
  const first = calculation.schedule[0];
  return (
    <section aria-label={t('result.totals')}>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }}>
        <Figure label={t('result.financedAmount')} strong>
          {formatMoneyValue(calculation.financedAmount)}
        </Figure>
        <Figure label={t('result.monthlyPayment')} strong>
          {first ? formatMoneyValue(first.payment) : '—'}
        </Figure>
        <Figure label={t('result.effectiveRate')} strong>
          {`${formatDecimal(calculation.effectiveRate)} %`}
        </Figure>
        <Figure
          label={t('result.overpayment')}
        >{`${formatDecimal(calculation.overpaymentPercent)} %`}</Figure>
        <Figure label={t('result.payments')}>{formatMoneyValue(totals.payments)}</Figure>
        <Figure label={t('result.interest')}>{formatMoneyValue(totals.interest)}</Figure>
        <Figure label={t('result.vat')}>{formatMoneyValue(totals.vat)}</Figure>
        <Figure label={t('result.paymentsWithVat')}>{formatMoneyValue(totals.paymentsWithVat)}</Figure>
        <Figure label={t('result.advance')}>{formatMoneyValue(totals.advance)}</Figure>
        <Figure label={t('result.fees')}>{formatMoneyValue(totals.fees)}</Figure>
        <Figure label={t('result.residualValue')}>{formatMoneyValue(totals.residualValue)}</Figure>
        <Figure label={t('result.totalCost')}>{formatMoneyValue(totals.totalCost)}</Figure>
      </SimpleGrid>
    </section>
  );
}

/**
 * Principal and interest of each month as stacked bars, the remaining balance as a line on its own axis.
 * The amounts become numbers here only to be drawn; every amount shown as text is the API's string.
 */
export function ScheduleChart({ calculation }: { calculation: Calculation }) {
  const { t } = useTranslation('calculator');
  const currency = calculation.financedAmount.currency;
  const data = calculation.schedule.map((line) => ({
    month: line.n,
    principal: Number(line.principal.amount),
    interest: Number(line.interest.amount),
    balance: Number(line.balance.amount),
  }));
  // A tooltip shows one month's own amount (never a sum), so the number's text is the API's amount.
  const money = (value: number) => formatMoney(String(value), currency);
  return (
    <Box role="figure" aria-label={t('chart.label')}>
      <CompositeChart
        h={300}
        data={data}
        dataKey="month"
        withLegend
        withRightYAxis
        withDots={false}
        curveType="linear"
        valueFormatter={money}
        xAxisLabel={t('chart.month')}
        yAxisProps={{ width: 80 }}
        rightYAxisProps={{ width: 90 }}
        barProps={(series) => (series.type === 'bar' ? { stackId: 'payment' } : {})}
        maxBarWidth={24}
        series={[
          { name: 'principal', label: t('chart.principal'), color: 'blue.6', type: 'bar' },
          { name: 'interest', label: t('chart.interest'), color: 'orange.5', type: 'bar' },
          { name: 'balance', label: t('chart.balance'), color: 'teal.7', type: 'line', yAxisId: 'right' },
        ]}
      />
    </Box>
  );
}

function money(value: Money) {
  return formatMoney(value.amount, value.currency);
}

/** The schedule line by line, with the API's totals in the footer. */
export function ScheduleTable({ calculation }: { calculation: Calculation }) {
  const { t } = useTranslation('calculator');
  const { totals } = calculation;
  return (
    <ScrollArea>
      <Table striped verticalSpacing={4} style={TABULAR}>
        <Table.Caption>{t('schedule.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">{t('schedule.month')}</Table.Th>
            <Table.Th>{t('schedule.dueDate')}</Table.Th>
            <Table.Th ta="right">{t('schedule.principal')}</Table.Th>
            <Table.Th ta="right">{t('schedule.interest')}</Table.Th>
            <Table.Th ta="right">{t('schedule.vat')}</Table.Th>
            <Table.Th ta="right">{t('schedule.payment')}</Table.Th>
            <Table.Th ta="right">{t('schedule.balance')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {calculation.schedule.map((line) => (
            <Table.Tr key={line.n}>
              <Table.Td ta="right">{line.n}</Table.Td>
              <Table.Td>{formatDate(line.dueDate)}</Table.Td>
              <Table.Td ta="right">{money(line.principal)}</Table.Td>
              <Table.Td ta="right">{money(line.interest)}</Table.Td>
              <Table.Td ta="right">{money(line.vat)}</Table.Td>
              <Table.Td ta="right">{money(line.payment)}</Table.Td>
              <Table.Td ta="right">{money(line.balance)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700}>
            <Table.Th scope="row" colSpan={2}>
              {t('schedule.total')}
            </Table.Th>
            <Table.Td ta="right">{money(totals.principal)}</Table.Td>
            <Table.Td ta="right">{money(totals.interest)}</Table.Td>
            <Table.Td ta="right">{money(totals.vat)}</Table.Td>
            <Table.Td ta="right">{money(totals.payments)}</Table.Td>
            <Table.Td />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </ScrollArea>
  );
}
