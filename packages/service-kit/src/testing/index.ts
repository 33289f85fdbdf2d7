export { createTestDatabase, serviceMigrations, testBackends } from './test-database.ts';
export type { Backend, TestDatabase } from './test-database.ts';
export type { SchemaMigrations } from './template-database.ts';
export { ensureTestPostgres } from './global-setup.ts';
export {
  startTestService,
  startTestServices,
  testSetups,
  type Answer,
  type TestService,
  type TestServiceSpec,
  type TestServices,
  type TestServicesOptions,
  type TestSetup,
} from './test-services.ts';
