import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function AssetsPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.assets')}</Title>;
}

/** The asset register and insurance. */
export const assetsArea: Area = {
  key: 'assets',
  nav: [{ path: '/assets', label: 'nav.assets', permission: 'assets:assets:read' }],
  pages: [{ path: 'assets', permission: 'assets:assets:read', element: <AssetsPage /> }],
};
