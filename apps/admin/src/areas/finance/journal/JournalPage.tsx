import { Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { ContractSelect } from '../../billing/common/ContractSelect.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { CLOSED_LIST, isBusinessDate, isUuid } from '../../billing/common/values.ts';
import { AccountSelect } from '../common/AccountSelect.tsx';
import { ExportCsvButton } from '../common/ExportCsvButton.tsx';
import { jsonReport, useReportParams } from '../common/params.ts';
import { ENTRY_KINDS } from '../common/types.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';
import { JournalTable } from './JournalTable.tsx';

const SORTS = ['seq', '-seq', 'entryDate', '-entryDate'] as const;

/** The journal (finance:entries:read), filtered by dates, account, contract, source event and kind. */
export function JournalPage() {
  const { t } = useTranslation('finance');
  const entity = useLegalEntity();
  const params = useReportParams();
  const from = params.get('from');
  const to = params.get('to');
  const sourceEventId = params.get('sourceEventId');
  const contractId = params.get('contractId');
  const kind = ENTRY_KINDS.find((value) => value === params.get('kind'));
  const sort = SORTS.find((value) => value === params.get('sort')) ?? '-seq';
  const filters = {
    ...entityQuery(entity),
    ...(isBusinessDate(from) ? { from } : {}),
    ...(isBusinessDate(to) ? { to } : {}),
    ...(params.get('account') ? { accountCode: params.get('account') } : {}),
    ...(isUuid(contractId) ? { contractId } : {}),
    ...(isUuid(sourceEventId) ? { sourceEventId } : {}),
    ...(kind ? { kind } : {}),
  };
  const { query, pager } = usePagedQuery(['finance', 'entries', filters, sort], async (cursor) =>
    jsonReport(
      await unwrap(
        api.finance.GET('/v1/entries', {
          params: { query: { limit: 50, sort, ...filters, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    ),
  );
  return (
    <FinanceFrame
      section="journal"
      actions={
        <ExportCsvButton
          fallbackName="journal.csv"
          hint={t('journal.exportHint')}
          // Every line the filters match, in the table's order: the API ignores `limit` for CSV (it pages
          // the JSON only), but the generated type asks for one.
          fetchCsv={() =>
            api.finance.GET('/v1/entries', {
              params: { query: { limit: 50, sort, ...filters, format: 'csv' } },
              parseAs: 'blob',
            })
          }
        />
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('journal.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <TextInput
            type="date"
            label={t('report.from')}
            value={from}
            onChange={(e) => params.set('from', e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('report.to')}
            value={to}
            onChange={(e) => params.set('to', e.currentTarget.value)}
          />
          <AccountSelect
            entity={entity}
            label={t('journal.account')}
            value={params.get('account')}
            onChange={(code) => params.set('account', code)}
          />
          <ContractSelect
            label={t('journal.contract')}
            value={contractId || null}
            onChange={(id) => params.set('contractId', id)}
          />
          <TextInput
            label={t('journal.sourceEvent')}
            placeholder={t('journal.sourceEventPlaceholder')}
            value={sourceEventId}
            onChange={(e) => params.set('sourceEventId', e.currentTarget.value.trim())}
            error={sourceEventId && !isUuid(sourceEventId) ? t('journal.sourceEventInvalid') : undefined}
          />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('journal.kind')}
            value={kind ?? null}
            onChange={(value) => params.set('kind', value)}
            data={ENTRY_KINDS.map((value) => ({ value, label: t(`entryKind.${value}`) }))}
            clearable
            placeholder={t('report.any')}
          />
        </SimpleGrid>
        <JournalTable
          rows={query.data?.items}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          sort={sort}
          onSortChange={(next) => params.set('sort', next)}
          pager={pager}
        />
      </Stack>
    </FinanceFrame>
  );
}
