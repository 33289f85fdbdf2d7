import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The generator (scripts/new-service.ts) end to end: a service of each template generated into a temporary copy
// of the workspace by `npm run new-service`, its own tests run there, and the generated code typechecked,
// linted, checked for boundaries and formatting as CI would. Nothing is written into this repository.

/* eslint-disable security/detect-non-literal-fs-filename -- paths inside the temporary workspace */

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const GENERATED = [
  { template: 'crud', name: 'notes', publishes: true },
  { template: 'worker', name: 'digest', publishes: false },
  { template: 'connector', name: 'rates', publishes: true },
] as const;

/** Cache folders of tools that a run writes: the temporary workspace gets its own, not the repository's. */
const OWN_CACHES = new Set(['@lessor', '.vite', '.vitest', '.cache']);

/**
 * A copy of the workspace as it is now (tracked files and new ones not ignored), with the repository's installed
 * modules linked in — except the workspace packages, linked to the copy's own folders as npm links them.
 */
async function copyWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'lessor-new-service-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = stdout.split('\0').filter((file) => file !== '' && existsSync(join(repo, file)));
  for (const file of files) await cp(join(repo, file), join(workspace, file), { verbatimSymlinks: true });

  await mkdir(join(workspace, 'node_modules', '@lessor'), { recursive: true });
  for (const entry of await readdir(join(repo, 'node_modules'))) {
    if (!OWN_CACHES.has(entry))
      await symlink(join(repo, 'node_modules', entry), join(workspace, 'node_modules', entry));
  }
  for (const entry of await readdir(join(repo, 'node_modules', '@lessor'))) {
    const target = await readlink(join(repo, 'node_modules', '@lessor', entry));
    await symlink(target, join(workspace, 'node_modules', '@lessor', entry));
  }
  // A workspace's own installed modules (a version apart from the root's).
  for (const group of ['packages', 'services', 'apps']) {
    for (const folder of await readdir(join(repo, group))) {
      const modules = join(repo, group, folder, 'node_modules');
      if (existsSync(modules) && existsSync(join(workspace, group, folder)))
        await symlink(modules, join(workspace, group, folder, 'node_modules'));
    }
  }
  return workspace;
}

/** The environment of a command in the workspace: this test's, without what makes a process a Vitest worker. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
}

/** Runs a command in the workspace; fails the test with its output when it fails. */
async function inWorkspace(workspace: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd: workspace,
      env: childEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${failed.stdout ?? ''}\n${failed.stderr ?? failed.message}`,
      { cause: error },
    );
  }
}

/** Lines of every file under a folder, generated API files apart. */
async function linesUnder(folder: string): Promise<{ written: number; openapi: number }> {
  const counted = { written: 0, openapi: 0 };
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const lines = (await readFile(join(entry.parentPath, entry.name), 'utf8')).split('\n').length - 1;
    if (entry.name.startsWith('openapi.')) counted.openapi += lines;
    else counted.written += lines;
  }
  return counted;
}

describe('npm run new-service', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = await copyWorkspace();
  });
  afterAll(async () => {
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('should generate a service of each template whose tests pass, registered, typed, linted and within its boundaries', async () => {
    const figures: string[] = [];
    for (const { template, name, publishes } of GENERATED) {
      const started = Date.now();
      // No npm install: the copy's node_modules are links into the repository's, which npm must not touch.
      await inWorkspace(workspace, 'npm', [
        'run',
        '--silent',
        'new-service',
        '--',
        name,
        '--template',
        template,
        '--no-install',
        '--no-docs',
      ]);
      const report = join(workspace, `vitest-${name}.json`);
      await inWorkspace(workspace, 'npx', [
        'vitest',
        'run',
        `services/${name}`,
        '--reporter=json',
        `--outputFile=${report}`,
      ]);
      const seconds = Math.round((Date.now() - started) / 1000);
      const result = JSON.parse(await readFile(report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
      };
      expect(result.numFailedTests, `${template}: failed tests`).toBe(0);
      expect(result.numPassedTests, `${template}: passed tests`).toBeGreaterThan(2);

      const service = join(workspace, 'services', name);
      expect(JSON.parse(await readFile(join(service, 'openapi.json'), 'utf8')).info.title).toBe(
        `Lessor ${name}`,
      );
      expect(await readFile(join(service, 'README.md'), 'utf8')).toContain('stateDiagram-v2');
      const lines = await linesUnder(service);
      const events = publishes
        ? (await readFile(join(workspace, 'packages/event-catalog/src', `${name}.events.ts`), 'utf8')).split(
            '\n',
          ).length - 1
        : 0;
      figures.push(
        `${template} (${name}): ${seconds} s to green (${result.numPassedTests} tests), ${lines.written + events} lines written (+${lines.openapi} in openapi.json/.ts)`,
      );
    }

    const system = await readFile(join(workspace, 'apps/stack/src/system.ts'), 'utf8');
    const listed = system.indexOf('inSystem(notesService),');
    expect(system).toContain("import { notesService } from '@lessor/notes';");
    expect(listed).toBeGreaterThan(0);
    expect(system.indexOf('inSystem(digestService),')).toBeGreaterThan(listed);
    expect(system.indexOf('inSystem(gatewayService),')).toBeGreaterThan(
      system.indexOf('inSystem(ratesService),'),
    );
    const catalog = await readFile(join(workspace, 'packages/event-catalog/src/catalog.ts'), 'utf8');
    expect(catalog).toMatch(/^ {2}notes: notesEvents,$/m);
    expect(catalog).toMatch(/^ {2}rates: ratesEvents,$/m);
    expect(catalog).not.toContain('digestEvents');
    expect(
      JSON.parse(await readFile(join(workspace, 'apps/stack/package.json'), 'utf8')).dependencies,
    ).toMatchObject({
      '@lessor/notes': '*',
      '@lessor/digest': '*',
      '@lessor/rates': '*',
    });

    const folders = GENERATED.map(({ name }) => `services/${name}`);
    const touched = [
      ...folders,
      'packages/event-catalog/src/notes.events.ts',
      'packages/event-catalog/src/rates.events.ts',
      'packages/event-catalog/src/catalog.ts',
      'packages/event-catalog/src/index.ts',
      'apps/stack/src/system.ts',
      'apps/stack/package.json',
    ];
    await writeFile(
      join(workspace, 'tsconfig.generated.json'),
      JSON.stringify({ extends: './tsconfig.base.json', include: folders }),
    );
    await inWorkspace(workspace, 'npx', ['tsc', '-p', 'tsconfig.generated.json', '--noEmit']);
    await inWorkspace(workspace, 'npx', ['eslint', ...touched]);
    await inWorkspace(workspace, 'npx', ['depcruise', '--config', '.dependency-cruiser.cjs', ...folders]);
    await inWorkspace(workspace, 'npx', ['prettier', '--check', ...touched]);

    for (const { name } of GENERATED) expect(existsSync(join(repo, 'services', name))).toBe(false);
    console.info(`new-service, measured:\n  ${figures.join('\n  ')}`);
  }, 1_800_000);
});
