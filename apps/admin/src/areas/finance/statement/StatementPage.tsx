import { SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { EmptyState, QueryState } from '../../../ui/QueryState.tsx';
import { isBusinessDate } from '../../billing/common/values.ts';
import { AccountSelect } from '../common/AccountSelect.tsx';
import { ExportCsvButton } from '../common/ExportCsvButton.tsx';
import { currencyCode, jsonReport, useReportParams } from '../common/params.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';
import { StatementTable } from './StatementTable.tsx';

/** An account's statement with running balance, between two dates, in one of its currencies. */
export function StatementPage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const code = params.get('account');
  const from = params.get('from');
  const to = params.get('to');
  const currency = currencyCode(params.get('currency'));
  const query = {
    ...entityQuery(entity),
    ...(isBusinessDate(from) ? { from } : {}),
    ...(isBusinessDate(to) ? { to } : {}),
    ...(currency ? { currency } : {}),
  };
  const statement = useQuery({
    queryKey: ['finance', 'statement', code, query],
    enabled: code !== '',
    placeholderData: keepPreviousData,
    queryFn: async () =>
      jsonReport(
        await unwrap(api.finance.GET('/v1/accounts/{code}/statement', { params: { path: { code }, query } })),
      ),
  });
  return (
    <FinanceFrame
      section="statement"
      actions={
        <ExportCsvButton
          disabled={code === ''}
          fallbackName={`statement-${code}.csv`}
          fetchCsv={() =>
            api.finance.GET('/v1/accounts/{code}/statement', {
              params: { path: { code }, query: { ...query, format: 'csv' } },
              parseAs: 'blob',
            })
          }
        />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('statement.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <AccountSelect
            entity={entity}
            label={t('journal.account')}
            value={code}
            onChange={(value) => params.set('account', value)}
            required
          />
          <TextInput
            type="date"
            label={t('report.from')}
            value={from}
            onChange={(e) => params.set('from', e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('report.to')}
            description={t('report.atHelp')}
            value={to}
            onChange={(e) => params.set('to', e.currentTarget.value)}
          />
          <TextInput
            label={t('report.currency')}
            description={t('report.currencyHelp')}
            value={params.get('currency')}
            maxLength={3}
            onChange={(e) => params.set('currency', e.currentTarget.value.toUpperCase())}
            error={params.get('currency') && !currency ? t('report.currencyInvalid') : undefined}
          />
        </SimpleGrid>
        {code === '' ? (
          <EmptyState>{t('statement.chooseAccount')}</EmptyState>
        ) : (
          <QueryState query={statement} isEmpty={() => false}>
            {(data) => (
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('statement.normalSide', {
                    currency: data.currency,
                    side: t(`statement.side.${data.normalBalance}`),
                  })}
                </Text>
                <StatementTable statement={data} />
              </Stack>
            )}
          </QueryState>
        )}
      </Stack>
    </FinanceFrame>
  );
}
