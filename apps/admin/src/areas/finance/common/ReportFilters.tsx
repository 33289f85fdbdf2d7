import { Input, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountSelect } from './AccountSelect.tsx';
import { currencyCode, type useReportParams } from './params.ts';

type ReportParams = ReturnType<typeof useReportParams>;

/** The account a report is of (`?account=`), which it needs before it can ask for anything. */
export function AccountFilter({ params, entity }: { params: ReportParams; entity: string | undefined }) {
  const { t } = useTranslation('finance');
  return (
    <AccountSelect
      entity={entity}
      label={t('journal.account')}
      value={params.get('account')}
      onChange={(code) => params.set('account', code)}
      required
    />
  );
}

/** A date input kept in the address as `name`; the page sends it only when it is a business date. */
export function DateFilter({
  params,
  name,
  label,
  description,
}: {
  params: ReportParams;
  name: string;
  label: string;
  description?: string;
}) {
  return (
    <TextInput
      type="date"
      label={label}
      description={description}
      value={params.get(name)}
      onChange={(event) => params.set(name, event.currentTarget.value)}
    />
  );
}

/** The currency a report is in (`?currency=`), upper-cased as typed; empty means the books' own. */
export function CurrencyFilter({ params }: { params: ReportParams }) {
  const { t } = useTranslation('finance');
  const typed = params.get('currency');
  return (
    <TextInput
      label={t('report.currency')}
      description={t('report.currencyHelp')}
      value={typed}
      maxLength={3}
      onChange={(event) => params.set('currency', event.currentTarget.value.toUpperCase())}
      error={typed && !currencyCode(typed) ? t('report.currencyInvalid') : undefined}
    />
  );
}

/** How a report groups its rows (`?by=party`; by contract when absent). */
export function reportBy(params: ReportParams): 'contract' | 'party' {
  return params.get('by') === 'party' ? 'party' : 'contract';
}

/** "Group by": contract or counterparty, a segmented control named by its label. */
export function GroupByFilter({ params }: { params: ReportParams }) {
  const { t } = useTranslation('finance');
  const labelId = useId();
  return (
    <Stack gap={4}>
      <Input.Label id={labelId}>{t('receivables.by')}</Input.Label>
      <SegmentedControl
        aria-labelledby={labelId}
        fullWidth
        value={reportBy(params)}
        onChange={(value) => params.set('by', value === 'party' ? 'party' : null)}
        data={[
          { value: 'contract', label: t('receivables.byContract') },
          { value: 'party', label: t('receivables.byParty') },
        ]}
      />
    </Stack>
  );
}
