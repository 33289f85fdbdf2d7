import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure code, no database or broker; also run on Node 24 in CI), `admin` (the admin
// UI's components in jsdom) and `integration` (real PostgreSQL / RabbitMQ / processes). `npm test` runs them all.
export default defineConfig({
  test: {
    // Files at once, for all three projects. Vitest's default is one less than the cores — one file at a time on
    // a 2-core machine, while most integration files spend their time waiting for PostgreSQL, RabbitMQ, child
    // processes and timers. Two on two cores: with three, a CI run took 506 s instead of 1,010–1,110 s, but
    // three files booting whole systems at once held 92 of PostgreSQL's default 100 connections at their peak —
    // too close for a newcomer's server (bench/RESULTS.md, "npm test: wall time (issue 13 item 6)").
    // VITEST_MAX_WORKERS overrides it (e.g. 3 on a server with more connections, 1 to see a file's time alone).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: ['apps/admin/**', '**/node_modules/**'],
          environment: 'node',
          // Not Vitest's 5 s: property tests (fast-check against decimal.js, the token verifier's key checks)
          // took 5–12 s with three files at once on a loaded 2-core machine. A guard against a hang, not a target.
          testTimeout: 30_000,
        },
      },
      {
        // The admin UI's component tests (React in jsdom).
        plugins: [react()],
        test: {
          name: 'admin',
          include: ['apps/admin/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/admin/src/testing/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // PostgreSQL for the run: the configured server, or one embedded server started for the whole run.
          globalSetup: ['packages/service-kit/src/testing/global-setup.ts'],
        },
      },
    ],
  },
});
