import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm start`'s `prestart`: builds the admin UI only when its sources changed since the last build, instead
 * of on every start (~30 s on 2 cores). The sources are apps/admin (tests and dist left out), the source of
 * every workspace package it imports (@lessor/auth, @lessor/reference-data, and theirs), and the lock file;
 * their hash is kept beside the build output (`apps/admin/dist/.source-hash`). `--force` builds anyway;
 * `npm run build:admin` always builds.
 */

/** Where the hash of the sources of the build in `outDir` is kept. */
export const HASH_FILE = '.source-hash';

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'test', 'coverage', '.vite']);
const SKIPPED_FILE = /\.test\.(ts|tsx)$/;

/** The files and directories whose content makes the admin build: what `sourceHash` reads. */
export function adminSourceInputs(root: string): string[] {
  const inputs = [join(root, 'package-lock.json')];
  const seen = new Set<string>();
  const visit = (packageDir: string) => {
    if (seen.has(packageDir)) return;
    seen.add(packageDir);
    inputs.push(packageDir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (!name.startsWith('@lessor/')) continue;
      const short = name.slice('@lessor/'.length);
      const dir = ['packages', 'services', 'apps'].map((area) => join(root, area, short)).find(existsSync);
      if (dir) visit(dir);
    }
  };
  visit(join(root, 'apps', 'admin'));
  return inputs;
}

/** sha256 over every file under `inputs` (relative path and content, in a fixed order). */
export function sourceHash(root: string, inputs: readonly string[]): string {
  const files: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (!readdirSafe(path)) {
      files.push(path);
      return;
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(join(path, entry.name));
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        files.push(join(path, entry.name));
      }
    }
  };
  for (const input of inputs) walk(input);
  const hash = createHash('sha256');
  for (const file of files.map((path) => relative(root, path)).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `build` unless `outDir` holds a build (`index.html`) of sources with this `hash`; records the hash
 * after a build that succeeded (a failed one is tried again next time).
 */
export async function ensureBuilt(options: {
  outDir: string;
  hash: string;
  build: () => void | Promise<void>;
  force?: boolean;
}): Promise<'built' | 'up to date'> {
  const hashFile = join(options.outDir, HASH_FILE);
  const built =
    existsSync(join(options.outDir, 'index.html')) &&
    existsSync(hashFile) &&
    readFileSync(hashFile, 'utf8').trim() === options.hash;
  if (built && !options.force) return 'up to date';
  await options.build();
  writeFileSync(hashFile, `${options.hash}\n`);
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const started = Date.now();
  const result = await ensureBuilt({
    outDir: join(root, 'apps', 'admin', 'dist'),
    hash: sourceHash(root, adminSourceInputs(root)),
    force: process.argv.includes('--force'),
    build: () => {
      process.stdout.write('Building the admin UI (its sources changed)…\n');
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const run = spawnSync(npm, ['run', '--silent', 'build:admin'], { cwd: root, stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`npm run build:admin failed (${run.status ?? run.signal})`);
    },
  });
  process.stdout.write(
    result === 'built'
      ? `Admin UI built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`
      : 'Admin UI up to date (its sources did not change); `npm run build:admin` forces a build.\n',
  );
}
