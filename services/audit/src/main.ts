import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadAuditConfig } from './config.ts';

const config = loadAuditConfig();
await runService({
  name: 'audit',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
