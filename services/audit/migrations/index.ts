import type { Migration } from '@lessor/service-kit';
import { auditRecordsMigration } from './0001_audit_records.ts';
import { actorNamesMigration } from './0002_actor_names.ts';

/** Every migration of audit, in order. Forward only. */
export const auditMigrations: readonly Migration[] = [auditRecordsMigration, actorNamesMigration];
