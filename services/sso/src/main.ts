import { runService } from '@lessor/service-kit';
import { ssoService } from './sso.service.ts';

await runService(ssoService, {
  onFirstAdmin: (result) => {
    // Printed to the terminal once, never logged: the password is in the data directory file too.
    if (result.generatedPassword) {
      process.stdout.write(
        `\nFirst start: user admin, password ${result.generatedPassword} (kept in ${result.passwordFile})\n\n`,
      );
    }
  },
});
