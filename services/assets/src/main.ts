import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadAssetsConfig } from './config.ts';

const config = loadAssetsConfig();
await runService({
  name: 'assets',
  config,
  build: (database, logger, transport) => buildApp({ config, database, logger, transport }),
});
