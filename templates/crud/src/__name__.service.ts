import { __nameCamel__Events } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { __nameCamel__Migrations } from '../migrations/index.ts';
import { __nameCamel__ConfigSchema } from './config.ts';
import type { __Name__Database } from './database.ts';

/**
 * __name__ (ADR 24: one definition, read by `main.ts`, the system list, the scripts and the tests). Its code is
 * loaded when it is built, so a process runs only its own.
 */
export const __nameCamel__Service = defineService({
  name: '__name__',
  port: __port__,
  title: 'Lessor __name__',
  // TODO(__name__): say what it owns in one sentence (the API docs, the README and the system page show it).
  description:
    '__Entities__ and their history: created, changed, deleted and restored by people with the right.',
  version: '0.1.0',
  config: __nameCamel__ConfigSchema,
  tables: tablesOf<__Name__Database>(),
  migrations: __nameCamel__Migrations,
  publishes: Object.values(__nameCamel__Events),
  build: async (context) => (await import('./app.ts')).build__Name__(context),
});
