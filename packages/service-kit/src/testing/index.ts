export { createTestDatabase, testBackends } from './test-database.ts';
export type { Backend, TestDatabase } from './test-database.ts';
export { ensureTestPostgres } from './global-setup.ts';
