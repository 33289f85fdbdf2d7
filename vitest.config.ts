import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure code, no database or broker; also run on Node 24 in CI), `admin` (the admin
// UI's components in jsdom) and `integration` (real PostgreSQL / RabbitMQ / processes). `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: ['apps/admin/**', '**/node_modules/**'],
          environment: 'node',
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
