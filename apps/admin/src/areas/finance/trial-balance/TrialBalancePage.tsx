import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../i18n/format.ts';
import { isBusinessDate } from '../../billing/common/values.ts';
import { currencyCode, useReportParams } from '../common/params.ts';
import { CurrencyFilter, DateFilter } from '../common/ReportFilters.tsx';
import { ReportPage } from '../common/ReportPage.tsx';
import { useFinanceReport } from '../common/useFinanceReport.ts';
import { entityQuery, useLegalEntity } from '../FinanceFrame.tsx';
import { TrialBalanceTable } from './TrialBalanceTable.tsx';

/** The trial balance at a date, in a currency (both default to the books' business date and own currency). */
export function TrialBalancePage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const at = isBusinessDate(params.get('at')) ? params.get('at') : undefined;
  const currency = currencyCode(params.get('currency'));
  const query = { ...entityQuery(entity), ...(at ? { at } : {}), ...(currency ? { currency } : {}) };
  const report = useFinanceReport('/v1/trial-balance', { query });
  return (
    <ReportPage
      section="trial-balance"
      title={t('trialBalance.title')}
      report={report}
      csvName="trial-balance.csv"
      filterColumns={{ base: 1, xs: 2, md: 4 }}
      filters={
        <>
          <DateFilter params={params} name="at" label={t('report.at')} description={t('report.atHelp')} />
          <CurrencyFilter params={params} />
        </>
      }
      subtitle={(data) =>
        t('trialBalance.subtitle', {
          entity: data.legalEntity,
          date: formatDate(data.at),
          currency: data.currency,
        })
      }
    >
      {(data) => <TrialBalanceTable report={data} />}
    </ReportPage>
  );
}
