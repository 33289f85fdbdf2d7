import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Runs the repository's boundary check (the one `npm run lint` runs) on a small tree made for the test. */
async function cruise(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      join(root, 'node_modules/.bin/depcruise'),
      ['--config', join(root, '.dependency-cruiser.cjs'), 'packages', 'services', 'apps'],
      { cwd },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lessor-boundaries-'));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        allowImportingTsExtensions: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
      },
    }),
  );
  for (const [path, text] of Object.entries({ 'apps/stack/src/index.ts': 'export {};\n', ...files })) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('the boundary check (dependency-cruiser)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('should fail when a service imports another service, by path or by package name, or a package imports a service', async () => {
    const dir = await tree({
      'services/billing/src/index.ts': 'export const billing = 1;\n',
      'services/billing/package.json': JSON.stringify({
        name: '@lessor/billing',
        type: 'module',
        exports: { '.': './src/index.ts' },
      }),
      'services/leasing/src/by-path.ts':
        "import { billing } from '../../billing/src/index.ts';\nexport const a = billing;\n",
      'services/leasing/src/by-name.ts':
        "import { billing } from '@lessor/billing';\nexport const b = billing;\n",
      'packages/kit/src/index.ts':
        "import { billing } from '../../../services/billing/src/index.ts';\nexport const c = billing;\n",
    });
    dirs.push(dir);
    await mkdir(join(dir, 'node_modules/@lessor'), { recursive: true });
    await symlink(join(dir, 'services/billing'), join(dir, 'node_modules/@lessor/billing'));
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'no-service-to-service: services/leasing/src/by-path.ts → services/billing/src/index.ts',
    );
    expect(result.output).toContain(
      'no-service-to-service: services/leasing/src/by-name.ts → services/billing/src/index.ts',
    );
    expect(result.output).toContain(
      'no-package-to-service: packages/kit/src/index.ts → services/billing/src/index.ts',
    );
  });

  it('should let a service’s tests start another service by its entry, and nothing deeper', async () => {
    const dir = await tree({
      'packages/kit/src/index.ts': 'export const kit = 1;\n',
      'services/parties/src/index.ts': "export { buildApp } from './app.ts';\n",
      'services/parties/src/app.ts': 'export const buildApp = 1;\n',
      'services/leasing/test/entry.test.ts':
        "import { buildApp } from '../../parties/src/index.ts';\nexport const a = buildApp;\n",
      'services/leasing/test/internal.test.ts':
        "import { buildApp } from '../../parties/src/app.ts';\nexport const b = buildApp;\n",
    });
    dirs.push(dir);
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'tests-start-other-services-by-their-entry: services/leasing/test/internal.test.ts → services/parties/src/app.ts',
    );
    expect(result.output).not.toContain('services/leasing/test/entry.test.ts →');
  });

  it('should pass when services import only packages', async () => {
    const dir = await tree({
      'packages/kit/src/index.ts': 'export const kit = 1;\n',
      'services/leasing/src/index.ts':
        "import { kit } from '../../../packages/kit/src/index.ts';\nexport const a = kit;\n",
    });
    dirs.push(dir);
    expect((await cruise(dir)).code).toBe(0);
  });
});
