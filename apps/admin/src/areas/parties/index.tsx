import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function PartiesPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.parties')}</Title>;
}

/** Counterparties: list, search, create, edit, soft delete and restore. */
export const partiesArea: Area = {
  key: 'parties',
  nav: [{ path: '/parties', label: 'nav.parties', permission: 'parties:parties:read' }],
  pages: [{ path: 'parties', permission: 'parties:parties:read', element: <PartiesPage /> }],
};
