import { runService } from '@lessor/service-kit';
import { buildApp } from './app.ts';
import { loadSsoConfig } from './config.ts';

const config = loadSsoConfig();
await runService({
  name: 'sso',
  config,
  build: (database, logger, transport) =>
    buildApp({
      config,
      database,
      logger,
      transport,
      onFirstAdmin: (result) => {
        // Printed to the terminal once, never logged: the password is in the data directory file too.
        if (result.generatedPassword) {
          process.stdout.write(
            `\nFirst start: user admin, password ${result.generatedPassword} (kept in ${result.passwordFile})\n\n`,
          );
        }
      },
    }),
});
