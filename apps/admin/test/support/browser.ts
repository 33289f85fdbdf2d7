import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Never a downloaded browser. */
export const CHROMIUM = process.env.LESSOR_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const ADMIN_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of each main page: test artifacts, not committed (test-results/ is ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/admin/', import.meta.url));

/**
 * Whether the browser tests can run here. Without Chromium they are skipped with a loud message, unless
 * REQUIRE_INFRA=1 (CI), where a missing browser is a failure, never a silent skip.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_INFRA === '1') {
    throw new Error(`REQUIRE_INFRA=1 but there is no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  }
  const line = '!'.repeat(100);
  process.stderr.write(
    `\n${line}\n!!! admin UI browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n${line}\n`,
  );
  return false;
}

/**
 * Builds the admin UI into apps/admin/dist, which the gateway of the booted system serves at `/` — or into
 * `outDir`, for a test file that runs beside another one (each build empties its folder first) and points its
 * gateway there (`GATEWAY_ADMIN_DIR`).
 */
export async function buildAdminUi(outDir?: string): Promise<void> {
  await build({
    configFile: `${ADMIN_ROOT}vite.config.ts`,
    logLevel: 'warn',
    ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
  });
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** Saves a screenshot of the page as `<name>.png` under test-results/admin. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Signs in through the sign-in page and waits for the start page. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('User name').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Signed in as/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}
