import type { Area } from '../area.ts';
import { ContractCardPage } from './ContractCardPage.tsx';
import { ContractsListPage } from './ContractsListPage.tsx';
import { contractsTexts } from './texts.ts';

/** Contracts by status, the contract card and its actions. */
export const contractsArea: Area = {
  key: 'contracts',
  nav: [{ path: '/contracts', label: 'nav.contracts', permission: 'leasing:contracts:read' }],
  pages: [
    { path: 'contracts', permission: 'leasing:contracts:read', element: <ContractsListPage /> },
    { path: 'contracts/:id', permission: 'leasing:contracts:read', element: <ContractCardPage /> },
  ],
  texts: contractsTexts,
};
