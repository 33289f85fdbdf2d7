import type { Area } from '../area.ts';
import { NewProductPage, ProductPage } from './ProductPages.tsx';
import { ProductsPage } from './ProductsPage.tsx';
import { productsTexts } from './texts.ts';

/** Lease products: the frame a calculation fits; a fresh install starts here before it can quote. */
export const productsArea: Area = {
  key: 'products',
  nav: [{ path: '/products', label: 'nav.products', permission: 'leasing:products:read' }],
  pages: [
    { path: 'products', permission: 'leasing:products:read', element: <ProductsPage /> },
    { path: 'products/new', permission: 'leasing:products:write', element: <NewProductPage /> },
    { path: 'products/:id', permission: 'leasing:products:read', element: <ProductPage /> },
  ],
  texts: productsTexts,
};
