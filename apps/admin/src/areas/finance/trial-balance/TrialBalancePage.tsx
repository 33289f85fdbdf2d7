import { SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { formatDate } from '../../../i18n/format.ts';
import { QueryState } from '../../../ui/QueryState.tsx';
import { isBusinessDate } from '../../billing/common/values.ts';
import { ExportCsvButton } from '../common/ExportCsvButton.tsx';
import { currencyCode, jsonReport, useReportParams } from '../common/params.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';
import { TrialBalanceTable } from './TrialBalanceTable.tsx';

/** The trial balance at a date, in a currency (both default to the books' business date and own currency). */
export function TrialBalancePage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const at = isBusinessDate(params.get('at')) ? params.get('at') : undefined;
  const currency = currencyCode(params.get('currency'));
  const query = { ...entityQuery(entity), ...(at ? { at } : {}), ...(currency ? { currency } : {}) };
  const report = useQuery({
    queryKey: ['finance', 'trial-balance', query],
    queryFn: async () =>
      jsonReport(await unwrap(api.finance.GET('/v1/trial-balance', { params: { query } }))),
    placeholderData: keepPreviousData,
  });
  return (
    <FinanceFrame
      section="trial-balance"
      actions={
        <ExportCsvButton
          fallbackName="trial-balance.csv"
          fetchCsv={() =>
            api.finance.GET('/v1/trial-balance', {
              params: { query: { ...query, format: 'csv' } },
              parseAs: 'blob',
            })
          }
        />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('trialBalance.title')}</Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <TextInput
            type="date"
            label={t('report.at')}
            description={t('report.atHelp')}
            value={params.get('at')}
            onChange={(event) => params.set('at', event.currentTarget.value)}
          />
          <TextInput
            label={t('report.currency')}
            description={t('report.currencyHelp')}
            value={params.get('currency')}
            maxLength={3}
            onChange={(event) => params.set('currency', event.currentTarget.value.toUpperCase())}
            error={params.get('currency') && !currency ? t('report.currencyInvalid') : undefined}
          />
        </SimpleGrid>
        <QueryState query={report} isEmpty={() => false}>
          {(data) => (
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('trialBalance.subtitle', {
                  entity: data.legalEntity,
                  date: formatDate(data.at),
                  currency: data.currency,
                })}
              </Text>
              <TrialBalanceTable report={data} />
            </Stack>
          )}
        </QueryState>
      </Stack>
    </FinanceFrame>
  );
}
