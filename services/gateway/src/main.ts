import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadGatewayConfig } from './config.ts';

const config = loadGatewayConfig();
await runService({
  name: 'gateway',
  config,
  build: (database, logger) => buildApp({ config, database, logger }),
});
