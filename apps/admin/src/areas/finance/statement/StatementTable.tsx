import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoneyValue } from '../../../i18n/format.ts';
import { EmptyState } from '../../../ui/QueryState.tsx';
import { ContractRef } from '../../billing/common/references.tsx';
import type { Statement } from '../common/types.ts';

/** An account statement: the opening balance, each line with the balance after it, the closing balance. */
export function StatementTable({ statement }: { statement: Statement }) {
  const { t } = useTranslation('finance');
  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table striped verticalSpacing={4}>
          <Table.Caption>
            {t('statement.caption', { code: statement.accountCode, name: statement.accountName })}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('journal.date')}</Table.Th>
              <Table.Th>{t('journal.seq')}</Table.Th>
              <Table.Th>{t('journal.description')}</Table.Th>
              <Table.Th>{t('journal.contract')}</Table.Th>
              <Table.Th ta="right">{t('journal.debit')}</Table.Th>
              <Table.Th ta="right">{t('journal.credit')}</Table.Th>
              <Table.Th ta="right">{t('statement.balance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>{statement.from ? formatDate(statement.from) : '—'}</Table.Td>
              <Table.Td />
              <Table.Td colSpan={4}>
                <Text size="sm" fw={600}>
                  {t('statement.opening')}
                </Text>
              </Table.Td>
              <Table.Td ta="right" fw={600}>
                {formatMoneyValue(statement.opening)}
              </Table.Td>
            </Table.Tr>
            {statement.lines.map((line) => (
              <Table.Tr key={`${line.entryId}-${line.seq}-${line.debit.amount}-${line.credit.amount}`}>
                <Table.Td>{formatDate(line.date)}</Table.Td>
                <Table.Td>{line.seq}</Table.Td>
                <Table.Td>{line.description}</Table.Td>
                <Table.Td>{line.contractId ? <ContractRef id={line.contractId} /> : '—'}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(line.debit)}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(line.credit)}</Table.Td>
                <Table.Td ta="right">{formatMoneyValue(line.balance)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th>{formatDate(statement.to)}</Table.Th>
              <Table.Th />
              <Table.Th colSpan={4}>{t('statement.closing')}</Table.Th>
              <Table.Th ta="right">{formatMoneyValue(statement.closing)}</Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {statement.lines.length === 0 && <EmptyState>{t('statement.noLines')}</EmptyState>}
    </>
  );
}
