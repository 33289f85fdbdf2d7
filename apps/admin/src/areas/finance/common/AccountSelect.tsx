import { Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { entityQuery } from '../FinanceFrame.tsx';
import { CLOSED_LIST } from '../../billing/common/values.ts';

/** The chart of a legal entity for pickers: every account once per code (a code may exist in several currencies). */
export function useChartOptions(entity: string | undefined) {
  const { can } = useSession();
  return useQuery({
    queryKey: ['finance', 'accounts', 'options', entity ?? null],
    enabled: can('finance:accounts:read'),
    staleTime: 60_000,
    queryFn: async () => {
      const page = await unwrap(
        api.finance.GET('/v1/accounts', {
          params: { query: { limit: 200, deleted: 'exclude', sort: 'code', ...entityQuery(entity) } },
        }),
      );
      const byCode = new Map<string, string>();
      for (const account of page.items) if (!byCode.has(account.code)) byCode.set(account.code, account.name);
      return [...byCode].map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));
    },
  });
}

/** Picks an account by code: from the chart when the user may read it, else typed. */
export function AccountSelect({
  entity,
  value,
  onChange,
  label,
  required,
  error,
}: {
  entity: string | undefined;
  value: string;
  onChange: (code: string) => void;
  label: string;
  required?: boolean;
  error?: React.ReactNode;
}) {
  const { t } = useTranslation('finance');
  const { can } = useSession();
  const options = useChartOptions(entity);
  if (!can('finance:accounts:read')) {
    return (
      <TextInput
        label={label}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value.trim())}
        placeholder={t('account.codePlaceholder')}
        required={required}
        error={error}
      />
    );
  }
  const data = options.data ?? [];
  return (
    <Select
      comboboxProps={CLOSED_LIST}
      label={label}
      value={value || null}
      onChange={(code) => onChange(code ?? '')}
      data={
        value && !data.some((option) => option.value === value) ? [{ value, label: value }, ...data] : data
      }
      searchable
      clearable={!required}
      required={required}
      placeholder={t('account.choose')}
      nothingFoundMessage={t('account.none')}
      error={error}
    />
  );
}
