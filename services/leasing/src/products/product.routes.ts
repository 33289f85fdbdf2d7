import { auditView, registerBusinessRoutes, type ServiceApp } from '@lessor/service-kit';
import type { ProductRow } from './product.repository.ts';
import {
  CreateProduct,
  Product,
  ProductList,
  ProductListQuery,
  UpdateProduct,
  type ProductFee,
} from './product.schemas.ts';
import type { ProductService } from './product.service.ts';

/** The API of lease products: the six routes of a business object (`leasing:products:read|write`). */
export function registerProductRoutes(app: ServiceApp, products: ProductService): void {
  registerBusinessRoutes(app, {
    path: '/v1/products',
    noun: 'lease product',
    tag: 'products',
    permissions: { read: 'leasing:products:read', write: 'leasing:products:write' },
    schemas: {
      item: Product,
      list: ProductList,
      listQuery: ProductListQuery,
      create: CreateProduct,
      update: UpdateProduct,
    },
    useCases: products,
    view: (product: ProductRow): Product => ({
      ...auditView(product),
      scheduleTypes: product.scheduleTypes as Product['scheduleTypes'],
      fees: product.fees as ProductFee[],
    }),
  });
}
