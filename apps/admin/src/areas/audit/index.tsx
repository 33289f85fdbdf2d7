import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function AuditPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.audit')}</Title>;
}

/** The global audit search. */
export const auditArea: Area = {
  key: 'audit',
  nav: [{ path: '/audit', label: 'nav.audit', permission: 'audit:records:read' }],
  pages: [{ path: 'audit', permission: 'audit:records:read', element: <AuditPage /> }],
};
