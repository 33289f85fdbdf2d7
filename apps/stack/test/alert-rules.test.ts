import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport } from '@lessor/events';
import { openDatabase, type Database } from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { bootSystem, type BootedSystem } from '../src/boot.ts';

/**
 * The Prometheus alert rules (deploy/prometheus/rules; integration's stricter ones, ADR 26): valid for promtool,
 * their unit tests (deploy/prometheus/tests) passing, and every metric they read exported by a real service's
 * /metrics — a rule on a name nobody exports would never fire.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const rulesDir = join(root, 'deploy/prometheus/rules');
const testsDir = join(root, 'deploy/prometheus/tests');
const ruleFiles = readdirSync(rulesDir).filter((file) => file.endsWith('.rules.yml'));
const testFiles = readdirSync(testsDir).filter((file) => file.endsWith('.test.yml'));

/** promtool's path when it runs; otherwise CI (REQUIRE_INFRA=1) fails and a developer's run skips loudly. */
function promtool(): string | null {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return 'promtool';
  const reason = found.error?.message ?? found.stderr.trim();
  if (process.env.REQUIRE_INFRA === '1')
    throw new Error(`REQUIRE_INFRA=1 but promtool does not run (${reason}); apt-get install prometheus`);
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!!! promtool does not run (${reason}).\n` +
      '!!! The alert rules tests are SKIPPED. `apt-get install prometheus` brings it;\n' +
      `!!! set REQUIRE_INFRA=1 to make this an error (CI does).\n${line}\n`,
  );
  return null;
}

const tool = promtool();

function run(args: string[], cwd: string) {
  const result = spawnSync(tool!, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.runIf(tool)('alert rules (promtool)', () => {
  it('should be valid rule files', () => {
    expect(ruleFiles).toEqual(expect.arrayContaining(['lessor.rules.yml', 'integration.rules.yml']));

    const checked = run(['check', 'rules', ...ruleFiles], rulesDir);

    expect(checked.output).not.toMatch(/FAILED/);
    expect(checked.status).toBe(0);
  });

  it('should pass their unit tests: each alert fires at its threshold and not below', () => {
    const tested = run(['test', 'rules', ...testFiles], testsDir);

    expect(tested.output).not.toMatch(/FAILED/);
    expect(tested.status).toBe(0);
  });

  it('should test every alert they define', () => {
    const alerts = ruleFiles.flatMap((file) =>
      [...readFileSync(join(rulesDir, file), 'utf8').matchAll(/- alert: (\w+)/g)].map((match) => match[1]),
    );
    const tests = testFiles.map((file) => readFileSync(join(testsDir, file), 'utf8')).join('\n');

    for (const alert of alerts) expect(tests, alert).toContain(`alertname: ${alert}`);
  });
});

describe('the metrics the alert rules read', () => {
  let database: TestDatabase<unknown>;
  const opened: Database<unknown>[] = [];
  let system: BootedSystem;

  beforeAll(async () => {
    database = await createTestDatabase<unknown>('postgres', { schema: 'lessor_bus' });
    const bus = createInProcessTransport({ db: database.db });
    system = await bootSystem({
      // A caller (leasing, of parties and assets), consumers and publishers, and integration.
      only: ['sso', 'parties', 'assets', 'leasing', 'integration'],
      databaseFor: async (schema) => {
        const db = await openDatabase<unknown>({ schema, url: database.url });
        opened.push(db);
        return db;
      },
      transportFor: () => bus,
      portFor: () => 0,
      env: {
        LOG_LEVEL: 'silent',
        LESSOR_ADMIN_PASSWORD: 'alert-rules-password',
        LESSOR_DATA_DIR: '/nonexistent',
      },
      logger: () => pino({ level: 'silent' }),
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    for (const db of opened) await db.close();
    await database?.dispose();
  });

  it('should each be exported by a real service’s /metrics', async () => {
    const exported = new Set<string>();
    for (const url of system.urls.values()) {
      const text = await (await fetch(`${url}/metrics`)).text();
      for (const match of text.matchAll(/^# TYPE (\S+) /gm)) exported.add(match[1]!);
    }
    const read = new Set(
      ruleFiles.flatMap((file) =>
        [...readFileSync(join(rulesDir, file), 'utf8').matchAll(/\b((?:lessor|http)_[a-z_]+)/g)].map(
          (match) => match[1]!.replace(/_(bucket|count|sum)$/, ''),
        ),
      ),
    );

    expect(read.size).toBeGreaterThanOrEqual(10);
    for (const name of read) expect(exported, `${name} is read by an alert rule`).toContain(name);
  });
});
