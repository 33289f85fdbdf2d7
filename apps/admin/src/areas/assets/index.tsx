import type { Area } from '../area.ts';
import { AssetCardPage } from './AssetCardPage.tsx';
import { EditAssetPage, NewAssetPage } from './AssetFormPage.tsx';
import { AssetsListPage } from './AssetsListPage.tsx';
import { assetsTexts } from './texts.ts';

/** The asset register and insurance. */
export const assetsArea: Area = {
  key: 'assets',
  nav: [{ path: '/assets', label: 'nav.assets', permission: 'assets:assets:read' }],
  pages: [
    { path: 'assets', permission: 'assets:assets:read', element: <AssetsListPage /> },
    { path: 'assets/new', permission: 'assets:assets:write', element: <NewAssetPage /> },
    { path: 'assets/:id', permission: 'assets:assets:read', element: <AssetCardPage /> },
    { path: 'assets/:id/edit', permission: 'assets:assets:write', element: <EditAssetPage /> },
  ],
  texts: assetsTexts,
};
