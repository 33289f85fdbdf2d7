import type { Migration } from '@lessor/service-kit';
import { auditRecordsMigration } from './0001_audit_records.ts';

/** Every migration of audit, in order. Forward only. */
export const auditMigrations: readonly Migration[] = [auditRecordsMigration];
