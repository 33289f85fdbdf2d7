import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDecimal, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState } from '../../../ui/QueryState.tsx';
import { sameDecimal } from '../../billing/common/values.ts';
import type { TrialBalance } from '../common/types.ts';

/** Whether the trial balance's debit and credit totals are the same amount (compared as decimals, exactly). */
export function isBalanced(report: Pick<TrialBalance, 'totalDebit' | 'totalCredit'>): boolean {
  return (
    report.totalDebit.currency === report.totalCredit.currency &&
    sameDecimal(report.totalDebit.amount, report.totalCredit.amount)
  );
}

/**
 * The trial balance: each account's balance on its side in the reporting currency (an account in another
 * currency with its own amount and the rate), the totals, and whether they balance; then each currency's own
 * unconverted totals when the books hold more than one.
 */
export function TrialBalanceTable({ report }: { report: TrialBalance }) {
  const { t } = useTranslation('finance');
  const balanced = isBalanced(report);
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Badge color={balanced ? 'green' : 'red'} variant="light" size="lg" tt="none" role="status">
          {balanced ? t('trialBalance.balanced') : t('trialBalance.unbalanced')}
        </Badge>
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table striped verticalSpacing={4}>
          <Table.Caption>{t('trialBalance.title')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('account.code')}</Table.Th>
              <Table.Th>{t('account.name')}</Table.Th>
              <Table.Th>{t('account.type')}</Table.Th>
              <Table.Th ta="right">{t('trialBalance.debit')}</Table.Th>
              <Table.Th ta="right">{t('trialBalance.credit')}</Table.Th>
              <Table.Th ta="right">{t('trialBalance.original')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.lines.map((line) => (
              <Table.Tr key={`${line.accountCode}-${line.accountCurrency}`}>
                <Table.Td>{line.accountCode}</Table.Td>
                <Table.Td>{line.accountName}</Table.Td>
                <Table.Td>
                  {t(`accountType.${line.accountType}`, { defaultValue: line.accountType })}
                </Table.Td>
                <Table.Td ta="right">{formatMoneyValue(line.debit)}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(line.credit)}</Table.Td>
                <Table.Td ta="right">
                  {line.converted ? (
                    <Text span size="sm" c="dimmed">
                      {t('trialBalance.converted', {
                        amount: formatMoneyValue(
                          sameDecimal(line.converted.debit.amount, '0')
                            ? line.converted.credit
                            : line.converted.debit,
                        ),
                        rate: formatDecimal(line.converted.rate),
                      })}
                    </Text>
                  ) : (
                    ''
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={3}>{t('trialBalance.total')}</Table.Th>
              <Table.Th ta="right" data-testid="total-debit">
                {formatMoneyValue(report.totalDebit)}
              </Table.Th>
              <Table.Th ta="right" data-testid="total-credit">
                {formatMoneyValue(report.totalCredit)}
              </Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {report.lines.length === 0 && <EmptyState>{t('trialBalance.empty')}</EmptyState>}
      {report.byCurrency.length > 1 && (
        <Table.ScrollContainer minWidth={400}>
          <Table verticalSpacing={4}>
            <Table.Caption>{t('trialBalance.byCurrency')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('account.currency')}</Table.Th>
                <Table.Th ta="right">{t('trialBalance.debit')}</Table.Th>
                <Table.Th ta="right">{t('trialBalance.credit')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.byCurrency.map((totals) => (
                <Table.Tr key={totals.currency}>
                  <Table.Td>{totals.currency}</Table.Td>
                  <Table.Td ta="right">{formatMoneyValue(totals.totalDebit)}</Table.Td>
                  <Table.Td ta="right">{formatMoneyValue(totals.totalCredit)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
