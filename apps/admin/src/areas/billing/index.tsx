import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Area } from '../area.ts';

function BillingPage() {
  const { t } = useTranslation();
  return <Title order={2}>{t('nav.billing')}</Title>;
}

/** Invoices, payments, bank statement import, overdue. */
export const billingArea: Area = {
  key: 'billing',
  nav: [{ path: '/billing', label: 'nav.billing', permission: 'billing:invoices:read' }],
  pages: [{ path: 'billing', permission: 'billing:invoices:read', element: <BillingPage /> }],
};
