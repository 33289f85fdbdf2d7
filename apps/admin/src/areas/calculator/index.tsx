import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function CalculatorPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.calculator')}</Title>;
}

/** The lease calculator: schedule as table and chart, save, make a contract. */
export const calculatorArea: Area = {
  key: 'calculator',
  nav: [{ path: '/calculator', label: 'nav.calculator', permission: 'leasing:calculations:write' }],
  pages: [{ path: 'calculator', permission: 'leasing:calculations:write', element: <CalculatorPage /> }],
};
