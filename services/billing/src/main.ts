import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadBillingConfig } from './config.ts';

const config = loadBillingConfig();
await runService({
  name: 'billing',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
