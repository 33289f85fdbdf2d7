import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Issue 12, item 17: `npm start` as a newcomer runs it (no LOG_LEVEL): the console shows warnings and errors
 * only, the request log goes to <LESSOR_DATA_DIR>/logs/lessor.log, and the banner is the last thing printed.
 */
describe('npm start: what the console shows', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('should keep request logs off the console, in the data directory, and print the banner last', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lessor-output-'));
    const env: Record<string, string | undefined> = {
      ...process.env,
      LESSOR_DATA_DIR: dataDir,
      LESSOR_FREE_PORTS: '1',
      LESSOR_DEMO: '0',
      DATABASE_URL: '',
    };
    delete env.LOG_LEVEL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in 120 s:\n${output}`)), 120_000);
        child.stdout.on('data', () => {
          const match = /Lessor is ready at (http:\/\/\S+)/.exec(output);
          if (match && output.includes('Press Ctrl-C to stop.')) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      // A few requests after the start: they are logged to the file, not to the console.
      for (let i = 0; i < 3; i += 1) await (await fetch(`${url}/api/gateway/v1/services`)).text();
      await new Promise((resolve) => setTimeout(resolve, 500));

      const infoLines = output.split('\n').filter((line) => /"level":"(info|debug|trace)"/.test(line));
      expect(infoLines, output).toEqual([]);
      expect(output.trimEnd().endsWith('Press Ctrl-C to stop.'), output).toBe(true);
      const logFile = join(dataDir, 'logs', 'lessor.log');
      expect(output).toContain(logFile);
      expect(existsSync(logFile)).toBe(true);
      const logged = readFileSync(logFile, 'utf8');
      // The gateway logs its own routes by the path they were rewritten to (/v1/services).
      expect(logged).toMatch(/"service":"gateway".*"url":"(\/api\/gateway)?\/v1\/services"/);
      expect(logged).toMatch(/"level":"info"/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }, 180_000);
});
