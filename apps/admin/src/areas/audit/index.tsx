import type { Area } from '../area.ts';
import { AuditRecordPage } from './AuditRecordPage.tsx';
import { AuditSearchPage } from './AuditSearchPage.tsx';
import { auditTexts } from './texts.ts';

/** The global audit search over every service's recorded changes and security events. */
export const auditArea: Area = {
  key: 'audit',
  nav: [{ path: '/audit', label: 'nav.audit', permission: 'audit:records:read' }],
  pages: [
    { path: 'audit', permission: 'audit:records:read', element: <AuditSearchPage /> },
    { path: 'audit/:id', permission: 'audit:records:read', element: <AuditRecordPage /> },
  ],
  texts: auditTexts,
};
