import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadLeasingConfig } from './config.ts';

const config = loadLeasingConfig();
await runService({
  name: 'leasing',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
