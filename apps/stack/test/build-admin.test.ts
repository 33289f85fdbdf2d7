import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSourceInputs, ensureBuilt, HASH_FILE, sourceHash } from '../src/build-admin.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Issue 12, item 17: `npm start` builds the admin UI only when its sources changed. */
describe('building the admin UI only when its sources changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lessor-build-admin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should build once, skip while nothing changed, and build again after a source or lock file change', async () => {
    mkdirSync(join(dir, 'app', 'src'), { recursive: true });
    mkdirSync(join(dir, 'app', 'test'), { recursive: true });
    writeFileSync(join(dir, 'app', 'src', 'main.tsx'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'lock.json'), '{"v":1}\n');
    const outDir = join(dir, 'app', 'dist');
    let builds = 0;
    const build = () => {
      builds += 1;
      rmSync(outDir, { recursive: true, force: true }); // as vite's emptyOutDir does
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'index.html'), `<p>build ${builds}</p>`);
    };
    const inputs = [join(dir, 'app'), join(dir, 'lock.json')];
    const once = () => ensureBuilt({ outDir, hash: sourceHash(dir, inputs), build });

    expect(await once()).toBe('built');
    expect(await once()).toBe('up to date');
    expect(readFileSync(join(outDir, HASH_FILE), 'utf8').trim()).toBe(sourceHash(dir, inputs));
    // Its own output and its tests are not sources.
    writeFileSync(join(dir, 'app', 'test', 'x.test.ts'), 'changed');
    writeFileSync(join(dir, 'app', 'src', 'main.test.tsx'), 'changed');
    expect(await once()).toBe('up to date');
    expect(builds).toBe(1);

    writeFileSync(join(dir, 'app', 'src', 'main.tsx'), 'export const a = 2;\n');
    expect(await once()).toBe('built');
    writeFileSync(join(dir, 'lock.json'), '{"v":2}\n');
    expect(await once()).toBe('built');
    writeFileSync(join(dir, 'app', 'src', 'new.ts'), '');
    expect(await once()).toBe('built');
    unlinkSync(join(outDir, 'index.html'));
    expect(await once()).toBe('built');
    expect(builds).toBe(5);
    expect(await ensureBuilt({ outDir, hash: sourceHash(dir, inputs), build, force: true })).toBe('built');
  });

  it('should build again after a failed build', async () => {
    const outDir = join(dir, 'failing');
    const failing = () => {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'index.html'), 'half');
      throw new Error('vite failed');
    };
    await expect(ensureBuilt({ outDir, hash: 'h', build: failing })).rejects.toThrow('vite failed');
    let built = false;
    expect(await ensureBuilt({ outDir, hash: 'h', build: () => void (built = true) })).toBe('built');
    expect(built).toBe(true);
  });

  it("should read the admin's sources, the workspace packages it imports, and the lock file", () => {
    const inputs = adminSourceInputs(root).map((path) => relative(root, path));
    expect(inputs).toEqual(
      expect.arrayContaining(['package-lock.json', 'apps/admin', 'packages/auth', 'packages/reference-data']),
    );
    expect(inputs).not.toContain('services/gateway');
  });

  it('should be what `npm start` and `npm run start:services` run first', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prestart).toBe('node --import tsx apps/stack/src/build-admin.ts');
    expect(scripts['prestart:services']).toBe(scripts.prestart);
  });
});
