import type { Area } from '../area.ts';
import { ConflictsPage } from './conflicts/ConflictsPage.tsx';
import { EditConnectorPage, NewConnectorPage } from './connectors/ConnectorFormPages.tsx';
import { ConnectorPage } from './connectors/ConnectorPage.tsx';
import { ConnectorsPage } from './connectors/ConnectorsPage.tsx';
import { ExportsPage } from './exports/ExportsPage.tsx';
import { OutboundPage } from './outbound/OutboundPage.tsx';
import { RunPage } from './runs/RunPage.tsx';
import { RunsPage } from './runs/RunsPage.tsx';
import { integrationsTexts } from './texts.ts';

/** Connectors to CRMs and accounting, their runs, the conflicts they found, the outbound log and exports. */
export const integrationsArea: Area = {
  key: 'integrations',
  nav: [{ path: '/integrations', label: 'menu.integrations', permission: 'integration:connectors:read' }],
  pages: [
    { path: 'integrations', permission: 'integration:connectors:read', element: <ConnectorsPage /> },
    {
      path: 'integrations/connectors/new',
      permission: 'integration:connectors:write',
      element: <NewConnectorPage />,
    },
    {
      path: 'integrations/connectors/:id',
      permission: 'integration:connectors:read',
      element: <ConnectorPage />,
    },
    {
      path: 'integrations/connectors/:id/edit',
      permission: 'integration:connectors:write',
      element: <EditConnectorPage />,
    },
    { path: 'integrations/runs', permission: 'integration:runs:read', element: <RunsPage /> },
    { path: 'integrations/runs/:id', permission: 'integration:runs:read', element: <RunPage /> },
    { path: 'integrations/conflicts', permission: 'integration:conflicts:read', element: <ConflictsPage /> },
    { path: 'integrations/outbound', permission: 'integration:outbound:read', element: <OutboundPage /> },
    { path: 'integrations/exports', permission: 'integration:exports:read', element: <ExportsPage /> },
  ],
  texts: integrationsTexts,
};
