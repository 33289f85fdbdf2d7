import { auditView, registerBusinessRoutes, type ServiceApp } from '@lessor/service-kit';
import type { SupplierRow } from './supplier.repository.ts';
import {
  CreateSupplier,
  Supplier,
  SupplierList,
  SupplierListQuery,
  UpdateSupplier,
} from './supplier.schemas.ts';
import type { SupplierService } from './supplier.service.ts';

/** The API of suppliers: the six routes of a business object (`assets:suppliers:read|write`). */
export function registerSupplierRoutes(app: ServiceApp, suppliers: SupplierService): void {
  registerBusinessRoutes(app, {
    path: '/v1/suppliers',
    noun: 'supplier',
    tag: 'suppliers',
    permissions: { read: 'assets:suppliers:read', write: 'assets:suppliers:write' },
    schemas: {
      item: Supplier,
      list: SupplierList,
      listQuery: SupplierListQuery,
      create: CreateSupplier,
      update: UpdateSupplier,
    },
    useCases: suppliers,
    view: (supplier: SupplierRow): Supplier => auditView(supplier),
    summaries: { delete: 'Delete a supplier (soft; its assets keep the reference)' },
  });
}
