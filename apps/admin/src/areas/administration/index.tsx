import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function AdministrationPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.administration')}</Title>;
}

/** Users, roles, service clients, parked events, the system page. */
export const administrationArea: Area = {
  key: 'administration',
  nav: [{ path: '/administration', label: 'nav.administration', permission: 'sso:users:read' }],
  pages: [{ path: 'administration', permission: 'sso:users:read', element: <AdministrationPage /> }],
};
