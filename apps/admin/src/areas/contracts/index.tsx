import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function ContractsPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.contracts')}</Title>;
}

/** Contracts by status, the contract card and its actions. */
export const contractsArea: Area = {
  key: 'contracts',
  nav: [{ path: '/contracts', label: 'nav.contracts', permission: 'leasing:contracts:read' }],
  pages: [{ path: 'contracts', permission: 'leasing:contracts:read', element: <ContractsPage /> }],
};
