import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadFinanceConfig } from './config.ts';

const config = loadFinanceConfig();
await runService({
  name: 'finance',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
