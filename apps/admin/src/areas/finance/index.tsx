import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function FinancePage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.finance')}</Title>;
}

/** Chart of accounts, journal, trial balance, statements, review list. */
export const financeArea: Area = {
  key: 'finance',
  nav: [{ path: '/finance', label: 'nav.finance', permission: 'finance:reports:read' }],
  pages: [{ path: 'finance', permission: 'finance:reports:read', element: <FinancePage /> }],
};
