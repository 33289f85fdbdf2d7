import type { Area } from '../area.ts';
import { ImportPage } from './imports/ImportPage.tsx';
import { ImportsPage } from './imports/ImportsPage.tsx';
import { NewImportPage } from './imports/NewImportPage.tsx';
import { InvoicePage } from './invoices/InvoicePage.tsx';
import { InvoicesPage } from './invoices/InvoicesPage.tsx';
import { OverduePage } from './overdue/OverduePage.tsx';
import { PaymentPage } from './payments/PaymentPage.tsx';
import { PaymentsPage } from './payments/PaymentsPage.tsx';
import { RegisterPaymentPage } from './payments/RegisterPaymentPage.tsx';
import { UnmatchedPage } from './payments/UnmatchedPage.tsx';
import { BillingRunPage } from './runs/BillingRunPage.tsx';
import { billingTexts } from './texts.ts';

/** Invoices, billing runs, payments, bank statement import, unmatched payments, overdue and aging. */
export const billingArea: Area = {
  key: 'billing',
  nav: [{ path: '/billing', label: 'nav.billing', permission: 'billing:invoices:read' }],
  pages: [
    { path: 'billing', permission: 'billing:invoices:read', element: <InvoicesPage /> },
    { path: 'billing/invoices/:id', permission: 'billing:invoices:read', element: <InvoicePage /> },
    { path: 'billing/runs/new', permission: 'billing:runs:write', element: <BillingRunPage /> },
    { path: 'billing/payments', permission: 'billing:payments:read', element: <PaymentsPage /> },
    { path: 'billing/payments/new', permission: 'billing:payments:write', element: <RegisterPaymentPage /> },
    { path: 'billing/payments/:id', permission: 'billing:payments:read', element: <PaymentPage /> },
    { path: 'billing/unmatched', permission: 'billing:payments:read', element: <UnmatchedPage /> },
    { path: 'billing/imports', permission: 'billing:payments:read', element: <ImportsPage /> },
    { path: 'billing/imports/new', permission: 'billing:payments:write', element: <NewImportPage /> },
    { path: 'billing/imports/:id', permission: 'billing:payments:read', element: <ImportPage /> },
    { path: 'billing/overdue', permission: 'billing:invoices:read', element: <OverduePage /> },
  ],
  texts: billingTexts,
};
