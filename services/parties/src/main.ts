import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadPartiesConfig } from './config.ts';

const config = loadPartiesConfig();
await runService({
  name: 'parties',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
