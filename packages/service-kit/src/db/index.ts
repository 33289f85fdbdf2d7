export { openDatabase, ensurePostgresDatabase, isPostgresError } from './database.ts';
export type { Database, OpenDatabaseOptions } from './database.ts';
export { migrate, kitMigrations, REFUSED_DELETE_SQLSTATE } from './migrations.ts';
export type { Migration } from './migrations.ts';
export {
  newId,
  withBusinessColumns,
  protectBusinessTable,
  applyDeletedFilter,
  updateVersioned,
  softDelete,
  restore,
} from './business-table.ts';
export type { BusinessColumns, DeletedFilter } from './business-table.ts';
export { etag, parseIfMatch } from './etag.ts';
export { createIdempotencyStore } from './idempotency.ts';
export type { IdempotencyBegin, IdempotencyStore, StoredResponse } from './idempotency.ts';
export { encodeCursor, decodeCursor, paginate, parseSort } from './pagination.ts';
export type { Page, PageOptions, SortOrder } from './pagination.ts';
export { BusinessRepository } from './business-repository.ts';
export type { ListFilter } from './business-repository.ts';
export { preparedQuery } from './prepared-query.ts';
export type { PreparedQuery } from './prepared-query.ts';
export { startEmbeddedPostgres } from './embedded-postgres.ts';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres.ts';
