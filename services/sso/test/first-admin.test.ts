import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestService, testBackends } from '@lessor/service-kit/testing';
import type { FirstAdminResult } from '../src/bootstrap/first-admin.ts';
import { ssoService } from '../src/sso.service.ts';
import { signIn, startAgain } from './fixtures.ts';

const backends = await testBackends();

describe.each(backends)('the first administrator on %s', (backend) => {
  it('should generate a password once, keep it in the data directory and let admin sign in with it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lessor-sso-'));
    const seen: FirstAdminResult[] = [];
    const onFirstAdmin = (result: FirstAdminResult) => void seen.push(result);
    // No LESSOR_ADMIN_PASSWORD: sso makes one up and keeps it in the data directory.
    const sso = await startTestService(ssoService, {
      setup: { backend, broker: 'in-process' },
      env: { LESSOR_DATA_DIR: dataDir },
      options: { onFirstAdmin },
    });
    try {
      expect(seen).toHaveLength(1);
      const password = seen[0]!.generatedPassword!;
      expect(password.length).toBeGreaterThanOrEqual(20);
      const file = join(dataDir, 'admin-password.txt');
      expect((await readFile(file, 'utf8')).trim()).toBe(password);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await signIn(sso, 'admin', password)).status).toBe(200);
      // A second start on the same database creates nobody and prints nothing.
      await startAgain(sso, { LESSOR_DATA_DIR: dataDir }, { onFirstAdmin });
      expect(seen).toHaveLength(1);
    } finally {
      await sso.close();
    }
  });
});
