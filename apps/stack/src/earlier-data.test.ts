import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { earlierReleaseData } from './earlier-data.ts';

describe('data left by an earlier release', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessor-earlier-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('should name <data>/pglite, say that data now lives in PostgreSQL and how to start afresh', () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'pglite'));
    writeFileSync(join(dir, 'pglite', 'PG_VERSION'), '17\n');
    const message = earlierReleaseData(dir);
    expect(message).toContain(join(dir, 'pglite'));
    expect(message).toMatch(/earlier Lessor release/);
    expect(message).toMatch(/PostgreSQL/);
    expect(message).toContain(`rm -rf ${dir}`);
  });

  it('should find PGlite files a service started alone kept in the data directory itself', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    expect(earlierReleaseData(dir)).toMatch(/earlier Lessor release/);
  });

  it('should say nothing for an empty, a new or a PostgreSQL data directory', () => {
    const dir = dataDir();
    expect(earlierReleaseData(dir)).toBeUndefined();
    expect(earlierReleaseData(join(dir, 'missing'))).toBeUndefined();
    mkdirSync(join(dir, 'postgres'));
    writeFileSync(join(dir, 'postgres', 'PG_VERSION'), '18\n');
    expect(earlierReleaseData(dir)).toBeUndefined();
  });
});
