import type { Area } from '../area.ts';
import { PartiesPage } from './PartiesPage.tsx';
import { PartyCardPage } from './PartyCard.tsx';
import { PartyCreatePage, PartyEditPage } from './PartyFormPages.tsx';
import { partiesTexts } from './texts.ts';

/** Counterparties: list, search, create, edit, soft delete and restore, KYC decisions, history. */
export const partiesArea: Area = {
  key: 'parties',
  nav: [{ path: '/parties', label: 'nav.parties', permission: 'parties:parties:read' }],
  pages: [
    { path: 'parties', permission: 'parties:parties:read', element: <PartiesPage /> },
    { path: 'parties/new', permission: 'parties:parties:write', element: <PartyCreatePage /> },
    { path: 'parties/:id', permission: 'parties:parties:read', element: <PartyCardPage /> },
    { path: 'parties/:id/edit', permission: 'parties:parties:write', element: <PartyEditPage /> },
  ],
  texts: partiesTexts,
};
