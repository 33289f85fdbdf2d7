import { __nameCamel__Events } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { __nameCamel__Migrations } from '../migrations/index.ts';
import { __nameCamel__ConfigSchema } from './config.ts';
import type { __Name__Database } from './database.ts';

/**
 * __name__ (ADR 24: one definition, read by `main.ts`, the system list, the scripts and the tests). A connector:
 * the kind of service that talks to a system outside Lessor (README: Egress). It calls no Lessor service.
 */
export const __nameCamel__Service = defineService({
  name: '__name__',
  port: __port__,
  title: 'Lessor __name__',
  // TODO(__name__): name the outside system and what is brought from it (the API docs and the README show it).
  description:
    'Brings the records of an outside system into Lessor, page by page, and says when a sync is done.',
  version: '0.1.0',
  config: __nameCamel__ConfigSchema,
  tables: tablesOf<__Name__Database>(),
  migrations: __nameCamel__Migrations,
  publishes: Object.values(__nameCamel__Events),
  build: async (context) => (await import('./app.ts')).build__Name__(context),
});
