import { partiesEvents } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { __nameCamel__Migrations } from '../migrations/index.ts';
import { __nameCamel__ConfigSchema } from './config.ts';
import type { __Name__Database } from './database.ts';

/**
 * __name__ (ADR 24: one definition, read by `main.ts`, the system list, the scripts and the tests). A worker: it
 * learns from events and works on a timer; its API only reads. Its code is loaded when it is built.
 */
export const __nameCamel__Service = defineService({
  name: '__name__',
  port: __port__,
  title: 'Lessor __name__',
  // TODO(__name__): say what it does in one sentence (the API docs, the README and the system page show it).
  description: 'Learns of new parties from their events and gathers them into digests on a timer.',
  version: '0.1.0',
  config: __nameCamel__ConfigSchema,
  tables: tablesOf<__Name__Database>(),
  migrations: __nameCamel__Migrations,
  consumes: {
    purpose: 'Learns of each new party (name, country) to gather the new ones into digests.',
    events: [partiesEvents.partyCreated],
  },
  build: async (context) => (await import('./app.ts')).build__Name__(context),
});
