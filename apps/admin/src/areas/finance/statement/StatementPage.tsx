import { useTranslation } from 'react-i18next';
import { isBusinessDate } from '../../billing/common/values.ts';
import { currencyCode, useReportParams } from '../common/params.ts';
import { AccountFilter, CurrencyFilter, DateFilter } from '../common/ReportFilters.tsx';
import { ReportPage } from '../common/ReportPage.tsx';
import { useFinanceReport } from '../common/useFinanceReport.ts';
import { entityQuery, useLegalEntity } from '../FinanceFrame.tsx';
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
  const report = useFinanceReport(
    '/v1/accounts/{code}/statement',
    { path: { code }, query },
    { enabled: code !== '' },
  );
  return (
    <ReportPage
      section="statement"
      title={t('statement.title')}
      report={report}
      csvName={`statement-${code}.csv`}
      prompt={code === '' ? t('statement.chooseAccount') : undefined}
      filters={
        <>
          <AccountFilter params={params} entity={entity} />
          <DateFilter params={params} name="from" label={t('report.from')} />
          <DateFilter params={params} name="to" label={t('report.to')} description={t('report.atHelp')} />
          <CurrencyFilter params={params} />
        </>
      }
      subtitle={(data) =>
        t('statement.normalSide', {
          currency: data.currency,
          side: t(`statement.side.${data.normalBalance}`),
        })
      }
    >
      {(data) => <StatementTable statement={data} />}
    </ReportPage>
  );
}
