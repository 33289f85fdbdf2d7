import { Button, Group, Select, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { CLOSED_LIST } from '../billing/common/values.ts';

export type FinanceSection =
  'trial-balance' | 'journal' | 'statement' | 'receivables' | 'balances' | 'review' | 'accounts';

/** The sub-pages of finance, each shown only with its own permission. */
export const FINANCE_SECTIONS: readonly { key: FinanceSection; path: string; permission: string }[] = [
  { key: 'trial-balance', path: '/finance', permission: 'finance:reports:read' },
  { key: 'journal', path: '/finance/journal', permission: 'finance:entries:read' },
  { key: 'statement', path: '/finance/statement', permission: 'finance:reports:read' },
  { key: 'receivables', path: '/finance/receivables', permission: 'finance:reports:read' },
  { key: 'balances', path: '/finance/balances', permission: 'finance:reports:read' },
  { key: 'review', path: '/finance/review', permission: 'finance:review:read' },
  { key: 'accounts', path: '/finance/accounts', permission: 'finance:accounts:read' },
];

/**
 * The legal entity whose books the pages show (`?entity=`), or undefined for the API's default. It stays in the
 * address so that every finance page, and a link to one, shows the same books.
 */
export function useLegalEntity(): string | undefined {
  const [params] = useSearchParams();
  const entity = params.get('entity') ?? '';
  return /^[A-Z0-9][A-Z0-9-]{1,19}$/.test(entity) ? entity : undefined;
}

/** `{ legalEntity }` for a finance query, when one is chosen. */
export function entityQuery(entity: string | undefined): { legalEntity?: string } {
  return entity ? { legalEntity: entity } : {};
}

function LegalEntitySelect() {
  const { t } = useTranslation('finance');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const entities = useQuery({
    queryKey: ['finance', 'legal-entities'],
    enabled: can('finance:settings:read'),
    staleTime: 5 * 60_000,
    queryFn: () => unwrap(api.finance.GET('/v1/legal-entities')),
  });
  const items = entities.data?.items ?? [];
  // One set of books (the usual case): nothing to choose.
  if (items.length < 2) return null;
  return (
    <Select
      comboboxProps={CLOSED_LIST}
      label={t('legalEntity')}
      size="xs"
      w={220}
      value={params.get('entity') ?? items[0]?.code ?? null}
      allowDeselect={false}
      onChange={(code) =>
        setParams((current) => {
          const next = new URLSearchParams(current);
          if (code) next.set('entity', code);
          return next;
        })
      }
      data={items.map((entity) => ({ value: entity.code, label: `${entity.code} · ${entity.name}` }))}
    />
  );
}

/** The frame of every finance page: the title, the books chosen, and the sub-pages the user may open. */
export function FinanceFrame({
  section,
  actions,
  children,
}: {
  section: FinanceSection;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation('finance');
  const { can } = useSession();
  const entity = useLegalEntity();
  const suffix = entity ? `?entity=${entity}` : '';
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm" align="flex-end">
        <Title order={2}>{t('common:nav.finance')}</Title>
        <Group gap="xs" wrap="wrap" align="flex-end">
          <LegalEntitySelect />
          {actions}
        </Group>
      </Group>
      <Group component="nav" aria-label={t('sections.label')} gap={4} wrap="wrap">
        {FINANCE_SECTIONS.filter((entry) => can(entry.permission)).map((entry) => (
          <Button
            key={entry.key}
            component={Link}
            to={`${entry.path}${suffix}`}
            size="compact-sm"
            variant={entry.key === section ? 'light' : 'subtle'}
            aria-current={entry.key === section ? 'page' : undefined}
          >
            {t(`sections.${entry.key}`)}
          </Button>
        ))}
      </Group>
      {children}
    </Stack>
  );
}
