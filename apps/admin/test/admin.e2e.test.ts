import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  bootForTest,
  systemSetups,
  type BootedForTest,
} from '../../stack/test/support/booted-system.ts';
import {
  browserAvailable,
  buildAdminUi,
  launchBrowser,
  screenshot,
  signIn,
  signOut,
} from './support/browser.ts';

/**
 * The admin UI in headless Chromium against the whole running system (distributed when PostgreSQL and
 * RabbitMQ answer, else embedded), served by the gateway at `/` from a fresh build.
 */
const setup = systemSetups().at(-1)!;

describe.skipIf(!browserAvailable())(
  `the admin UI on ${setup.backend} with the ${setup.broker} transport`,
  () => {
    let booted: BootedForTest;
    let browser: Browser;
    let page: Page;
    let baseUrl: string;
    let adminToken: string;

    beforeAll(async () => {
      await buildAdminUi();
      booted = await bootForTest(setup);
      baseUrl = booted.system.urls.get('gateway')!;
      adminToken = await booted.login('admin', ADMIN_PASSWORD);
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    });
    afterAll(async () => {
      await browser?.close();
      await booted?.close();
    });

    it('should send a visitor to the sign-in page and back to the page asked for', async () => {
      await page.goto(`${baseUrl}/parties`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await screenshot(page, '00-sign-in');
      await page.getByLabel('User name').fill('admin');
      await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Sign-in failed');
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Parties' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/parties');
    });

    it('should not offer the finance menu to a user without finance rights, and say no access on a direct link', async () => {
      await booted.user('clerk', ['parties:parties:read', 'leasing:contracts:read'], adminToken);
      const clerk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await signIn(clerk, baseUrl, 'clerk', 'clerk-password-123');
        const menu = clerk.getByRole('navigation', { name: 'Main' });
        await expect(menu.getByRole('link', { name: 'Parties' }).isVisible()).resolves.toBe(true);
        await expect(menu.getByRole('link', { name: 'Finance' }).count()).resolves.toBe(0);
        await expect(menu.getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
        await clerk.goto(`${baseUrl}/finance`);
        await clerk.getByRole('heading', { name: 'No access' }).waitFor();
        await screenshot(clerk, '90-no-access');
        await signOut(clerk);
      } finally {
        await clerk.close();
      }
    });
  },
);
