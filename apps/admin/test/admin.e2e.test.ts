import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
      page.setDefaultTimeout(30_000);
    });
    afterEach(async (context) => {
      // What the page showed when a step failed: the first thing to look at.
      if (context.task.result?.state === 'fail')
        await screenshot(page, `failed-${context.task.name.slice(0, 40)}`);
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

    it('should take a lease from a new party to cash: calculate, contract, four eyes, activate, invoices, payment, books', async () => {
      // What the flow needs but does not create through the UI: a product and an asset on the register.
      const product = await booted.api('POST', '/api/leasing/v1/products', adminToken, {
        code: 'UI-CAR',
        name: 'Cars (browser test)',
        currencies: ['EUR'],
        scheduleTypes: ['annuity', 'differentiated'],
        minTermMonths: 12,
        maxTermMonths: 60,
        minRate: '2',
        maxRate: '15',
      });
      expect(product.status, JSON.stringify(product.body)).toBe(201);
      const asset = await booted.api('POST', '/api/assets/v1/assets', adminToken, {
        type: 'car',
        make: 'Skoda',
        model: 'Enyaq',
        vin: 'TMBJC7NY5RF000001',
        year: 2025,
        price: { amount: '48000.00', currency: 'EUR' },
      });
      expect(asset.status, JSON.stringify(asset.body)).toBe(201);
      await booted.user(
        'risk',
        [
          'leasing:contracts:read',
          'leasing:contracts:approve',
          'gateway:contract-cards:read',
          'parties:parties:read',
          'assets:assets:read',
        ],
        adminToken,
      );

      // A tab of its own (the session lives in the tab's sessionStorage), signed in as the administrator.
      page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      page.setDefaultTimeout(30_000);
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);

      // A party, created through its form; required fields are named beside the field before anything is sent.
      await page.goto(`${baseUrl}/parties`);
      await page.getByRole('heading', { name: 'Parties' }).waitFor();
      await screenshot(page, '01-parties');
      await page.getByRole('button', { name: 'New party' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Required').first().waitFor();
      await page.getByLabel('Legal name').fill('Browser Leasing GmbH');
      await page.getByRole('combobox', { name: 'Country' }).fill('Germ');
      await page.getByRole('option', { name: 'Germany (DE)' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
      const partyId = new URL(page.url()).pathname.split('/').pop()!;
      await page.getByRole('heading', { name: /Browser Leasing GmbH/ }).waitFor();
      await screenshot(page, '02-party-card');
      const kyc = await booted.api('POST', `/api/parties/v1/parties/${partyId}/kyc`, adminToken, {
        status: 'verified',
        reason: 'documents checked',
      });
      expect(kyc.status, JSON.stringify(kyc.body)).toBeLessThan(300);

      // The lease products a calculation fits (the demo's), from the menu's own page.
      await page.goto(`${baseUrl}/products`);
      await page.getByRole('table', { name: 'Lease products' }).getByRole('row').nth(1).waitFor();
      await screenshot(page, '03a-products');

      // A lease calculated: the schedule as a table and as a chart.
      await page.goto(`${baseUrl}/calculator`);
      await page.getByRole('heading', { name: 'Lease calculator' }).waitFor();
      await page.getByLabel('Asset price').fill('48000.00');
      await page.getByLabel('Term (months)').fill('24');
      await page.getByLabel('Annual interest rate (%)').fill('7.5');
      await page.getByLabel('Start date').fill('2026-09-01');
      await page.getByRole('button', { name: 'Calculate' }).click();
      const schedule = page.getByRole('table', { name: 'Payment schedule' });
      await schedule.waitFor();
      const chart = page.getByRole('figure', { name: 'Schedule chart' });
      await chart.waitFor();
      // 24 monthly rows besides the header, and the chart drawn as SVG.
      expect(await schedule.getByRole('row').count()).toBeGreaterThanOrEqual(25);
      expect(await chart.locator('svg').count()).toBeGreaterThan(0);
      await screenshot(page, '03-calculator');

      // A draft contract made from it, for the party and the asset.
      await page.getByRole('button', { name: 'Make a contract' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('combobox', { name: 'Lessee' }).fill('Browser Leasing');
      await page.getByRole('option', { name: /Browser Leasing GmbH/ }).click();
      await dialog.getByRole('combobox', { name: 'Asset' }).fill('Enyaq');
      await page.getByRole('option', { name: /Enyaq/ }).click();
      await dialog.getByRole('button', { name: 'Create draft contract' }).click();
      await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
      const contractId = new URL(page.url()).pathname.split('/').pop()!;
      await page.getByRole('heading', { name: /^Contract / }).waitFor();
      // The maker of a draft may not approve it: the button is there, disabled, with the rule explained.
      expect(await page.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).toBe(true);
      await screenshot(page, '04-contract-draft');

      // Approved by a second person.
      await signOut(page);
      await signIn(page, baseUrl, 'risk', 'risk-password-123');
      await page.goto(`${baseUrl}/contracts/${contractId}`);
      await action(page, 'Approve');
      await signOut(page);

      // Signed and activated by the first.
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
      await page.goto(`${baseUrl}/contracts/${contractId}`);
      await action(page, 'Sign');
      await action(page, 'Activate');
      await screenshot(page, '05-contract-active');

      // Its invoices: billing planned them from the activation event.
      await page.getByRole('tab', { name: 'Invoices' }).click();
      const invoices = page.getByRole('table', { name: 'Invoices' });
      await eventually(page, async () => (await invoices.getByRole('row').count()) > 2, 'invoices planned');
      await screenshot(page, '06-contract-invoices');

      // Issue what is due, then a payment registered by hand for the contract.
      await page.goto(`${baseUrl}/billing/runs/new`);
      await page.getByRole('button', { name: 'Issue due invoices' }).last().click();
      await page
        .getByText(/issued/i)
        .first()
        .waitFor();
      const contract = await booted.api('GET', `/api/leasing/v1/contracts/${contractId}`, adminToken);
      await page.goto(`${baseUrl}/billing/payments/new`);
      await page.getByLabel('Contract', { exact: true }).fill(contract.body.number);
      await page.getByRole('option', { name: new RegExp(contract.body.number) }).click();
      await page.getByLabel('Amount').fill('1000.00');
      await page.getByLabel('Value date').fill('2026-11-20');
      await page.getByLabel('Reference', { exact: true }).fill(contract.body.paymentReference);
      await screenshot(page, '07-register-payment');
      await page.getByRole('button', { name: 'Register payment' }).last().click();
      await page.getByText(/registered and allocated/).waitFor();
      await screenshot(page, '08-payment');

      // The books: the trial balance, balanced, with the cash in it.
      await page.goto(`${baseUrl}/finance`);
      await page.getByRole('heading', { name: 'Trial balance' }).waitFor();
      const books = page.getByRole('table', { name: 'Trial balance' });
      await eventually(
        page,
        async () => {
          if ((await books.getByText('€1,000.00').count()) > 0) return true;
          await page.reload();
          return false;
        },
        'the cash in the trial balance',
      );
      await page.getByText('Balanced: debit equals credit').waitFor();
      await screenshot(page, '09-trial-balance');

      // The system page: finance consumed this story's events, so its queue and its lag are read from its metrics.
      await page.goto(`${baseUrl}/administration/system`);
      const services = page.getByRole('table', { name: 'Services' });
      const finance = services
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: 'finance', exact: true }) });
      await finance.getByText(/^\d[\d,]* waiting$/).waitFor();
      await finance.getByText(/^p99 [\d.,]+ s · since start|^p99 [\d.,]+ s · last/).waitFor();
      await finance.getByText('Ready', { exact: true }).waitFor();
      await screenshot(page, '10-system');
    }, 300_000);

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

/** Clicks a contract action on its card, confirms its dialog, and waits for the dialog to close. */
async function action(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Polls `check` until it holds (events travel asynchronously between services), up to a minute. */
async function eventually(page: Page, check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    if (await check()) return;
    await page.waitForTimeout(1000);
  }
  throw new Error(`not seen within a minute: ${what}`);
}
