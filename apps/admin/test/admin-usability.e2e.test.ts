import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  bootForTest,
  systemSetups,
  type BootedForTest,
} from '../../stack/test/support/booted-system.ts';
import { browserAvailable, buildAdminUi, launchBrowser, screenshot, signIn } from './support/browser.ts';
import {
  focusedElement,
  focusIndicator,
  hasFocusWithin,
  horizontalOverflow,
  isFocused,
  tabTo,
  waitForFocus,
  waitForFocusWithin,
} from './support/usability.ts';

/**
 * The admin UI's promise of "usable by keyboard; works at 1280 px and on a tablet", checked in headless
 * Chromium against the whole running system: the menu on a tablet, no page wider than the screen, and the
 * main paths done with the keyboard alone.
 */
const setup = systemSetups().at(-1)!;
const TABLET = { width: 768, height: 1024 };
const DESKTOP = { width: 1280, height: 800 };
const PARTY = 'Keyboard Leasing GmbH';

describe.skipIf(!browserAvailable())(
  `the admin UI by keyboard and on a tablet, on ${setup.backend} with the ${setup.broker} transport`,
  () => {
    let booted: BootedForTest;
    let browser: Browser;
    let baseUrl: string;
    let adminToken: string;
    let uiDir: string;
    let partyId: string;
    /** The page of the running test, for the screenshot of a failure. */
    let current: Page | undefined;

    beforeAll(async () => {
      // A build of its own: the other browser test file empties apps/admin/dist when it builds.
      uiDir = await mkdtemp(join(tmpdir(), 'lessor-admin-ui-'));
      await buildAdminUi(uiDir);
      booted = await bootForTest(setup, { gateway: { GATEWAY_ADMIN_DIR: uiDir } });
      baseUrl = booted.system.urls.get('gateway')!;
      adminToken = await booted.login('admin', ADMIN_PASSWORD);
      partyId = await seed(booted, adminToken);
      browser = await launchBrowser();
    });
    afterEach(async (context) => {
      if (current && context.task.result?.state === 'fail')
        await screenshot(current, `failed-${context.task.name.slice(0, 40)}`);
      await current?.context().close();
      current = undefined;
    });
    afterAll(async () => {
      await browser?.close();
      await booted?.close();
      if (uiDir) await rm(uiDir, { recursive: true, force: true });
    });

    /** A tab of its own (the session lives in the tab's sessionStorage). */
    async function newPage(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
      const context: BrowserContext = await browser.newContext({ locale: 'en-GB', ...options });
      current = await context.newPage();
      current.setDefaultTimeout(30_000);
      return current;
    }

    it('should fold the menu behind the burger on a tablet, and show no page wider than the screen', async () => {
      const page = await newPage({ viewport: TABLET, hasTouch: true, isMobile: true });
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
      const burger = page.getByRole('button', { name: 'Toggle navigation' });
      const menu = page.getByRole('navigation', { name: 'Main' });

      // The measure itself: something wider than the screen is seen, so a pass below means something.
      const main = page.locator('#main');
      await main.evaluate((element) => {
        const wide = element.ownerDocument.createElement('div');
        wide.id = 'too-wide';
        wide.style.width = '1500px';
        wide.style.height = '10px';
        element.append(wide);
      });
      const probe = await horizontalOverflow(page);
      expect(probe.scrollWidth).toBeGreaterThan(probe.clientWidth + 1);
      expect(probe.sticksOut.join()).toContain('<div');
      await page.locator('#too-wide').evaluate((wide) => wide.remove());

      // At 768 px the menu is folded away: out of sight until the burger opens it.
      expect(await burger.isVisible()).toBe(true);
      expect(await inViewport(menu.getByRole('link', { name: 'Parties' }))).toBe(false);

      const pages: { link: string; heading: string; name: string; ready?: (page: Page) => Promise<void> }[] =
        [
          { link: 'Parties', heading: 'Parties', name: 'parties' },
          { link: 'Lease calculator', heading: 'Lease calculator', name: 'calculator', ready: calculate },
          { link: 'Contracts', heading: 'Contracts', name: 'contracts', ready: contractsShown },
          { link: 'Finance', heading: 'Trial balance', name: 'trial-balance', ready: trialBalanceShown },
          { link: 'Integrations', heading: 'Integrations', name: 'integrations', ready: connectorsShown },
        ];
      for (const entry of pages) {
        await burger.tap();
        const link = menu.getByRole('link', { name: entry.link, exact: true });
        await waitInViewport(link);
        await link.tap();
        await page.getByRole('heading', { name: entry.heading, exact: true }).waitFor();
        // Choosing a page folds the menu away again, so it does not cover the page.
        await waitOutOfViewport(link);
        await entry.ready?.(page);
        await screenshot(page, `tablet-${entry.name}`);
        const overflow = await horizontalOverflow(page);
        expect(overflow.sticksOut, `${entry.name} at 768 px`).toEqual([]);
        expect(overflow.scrollWidth, `${entry.name} at 768 px`).toBeLessThanOrEqual(overflow.clientWidth + 1);
      }
    }, 180_000);

    it('should show no page wider than the screen at 1280 px', async () => {
      const page = await newPage({ viewport: DESKTOP });
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
      const checks: { path: string; heading: string; name: string; ready?: (page: Page) => Promise<void> }[] =
        [
          { path: '/parties', heading: 'Parties', name: 'parties' },
          { path: `/parties/${partyId}`, heading: PARTY, name: 'party-card' },
          { path: '/calculator', heading: 'Lease calculator', name: 'calculator', ready: calculate },
          { path: '/contracts', heading: 'Contracts', name: 'contracts', ready: contractsShown },
          { path: '/finance', heading: 'Trial balance', name: 'trial-balance', ready: trialBalanceShown },
          { path: '/integrations/connectors/new', heading: 'New connector', name: 'new-connector' },
          { path: '/integrations/exports', heading: 'Integrations', name: 'exports', ready: exportsShown },
        ];
      // The menu is always there at this width: no burger.
      expect(await page.getByRole('button', { name: 'Toggle navigation' }).isVisible()).toBe(false);
      for (const check of checks) {
        await page.goto(`${baseUrl}${check.path}`);
        await page.getByRole('heading', { name: check.heading, exact: true }).waitFor();
        await check.ready?.(page);
        await screenshot(page, `desktop-${check.name}`);
        const overflow = await horizontalOverflow(page);
        expect(overflow.sticksOut, `${check.name} at 1280 px`).toEqual([]);
        expect(overflow.scrollWidth, `${check.name} at 1280 px`).toBeLessThanOrEqual(
          overflow.clientWidth + 1,
        );
      }
    }, 180_000);

    it('should let a keyboard user sign in, use the menu, open a party, fill a form and close a dialog', async () => {
      const page = await newPage({ viewport: { width: 1280, height: 900 } });
      const keyboard = page.keyboard;

      // Sign-in: the user name has the focus, Tab goes to the password, Enter signs in.
      await page.goto(`${baseUrl}/signin`);
      const username = page.getByLabel('User name');
      await username.waitFor();
      expect(await isFocused(username), await focusedElement(page)).toBe(true);
      await keyboard.type('admin');
      await keyboard.press('Tab');
      expect(
        await isFocused(page.getByRole('textbox', { name: 'Password' })),
        await focusedElement(page),
      ).toBe(true);
      await keyboard.type(ADMIN_PASSWORD);
      await keyboard.press('Enter');
      const menu = page.getByRole('navigation', { name: 'Main' });
      await menu.waitFor();

      // The first Tab offers "Skip to content", visible while it has the focus.
      const skip = page.getByRole('link', { name: 'Skip to content' });
      await tabTo(page, skip, { max: 1 });
      expect(await inViewport(skip)).toBe(true);

      // The menu by Tab; the focused entry shows its focus ring; Enter opens it.
      const partiesLink = menu.getByRole('link', { name: 'Parties', exact: true });
      await tabTo(page, partiesLink, { max: 15 });
      const linkRing = await focusIndicator(partiesLink);
      expect(linkRing.focusVisible).toBe(true);
      expect(linkRing.shown, JSON.stringify(linkRing)).toBe(true);
      await keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Parties', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/parties');
      // The new page takes the focus (its heading), so a screen reader announces it: not left on the menu link.
      const main = page.locator('#main');
      await waitForFocusWithin(page, main).catch(() => undefined);
      expect(await hasFocusWithin(main), await focusedElement(page)).toBe(true);

      // A party opened from the list: its row takes the focus, shows it, and opens on Enter.
      const row = page.getByRole('row', { name: new RegExp(PARTY) });
      await tabTo(page, row);
      const rowRing = await focusIndicator(row);
      await screenshot(page, 'keyboard-row-focus');
      expect(rowRing.focusVisible).toBe(true);
      expect(rowRing.shown, JSON.stringify(rowRing)).toBe(true);
      await keyboard.press('Enter');
      await page.getByRole('heading', { name: PARTY }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/parties/${partyId}`);

      // A confirmation dialog: it takes the focus, keeps it, closes on Escape, and gives it back.
      const remove = page.getByRole('button', { name: 'Delete', exact: true });
      await tabTo(page, remove);
      expect((await focusIndicator(remove)).shown).toBe(true);
      await keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Delete this party?' });
      await dialog.waitFor();
      await waitForFocusWithin(page, dialog);
      for (let presses = 0; presses < 4; presses += 1) {
        await keyboard.press('Tab');
        expect(await hasFocusWithin(dialog), await focusedElement(page)).toBe(true);
      }
      await keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await waitForFocus(page, remove, 'the Delete button');
      // Nothing was deleted.
      const party = await booted.api('GET', `/api/parties/v1/parties/${partyId}`, adminToken);
      expect(party.body.deletedAt).toBeNull();

      // Back to the list by its link, and a new party through its form, submitted with Enter.
      await tabTo(page, page.getByRole('link', { name: 'All parties' }), { backwards: true });
      await keyboard.press('Enter');
      await tabTo(page, page.getByRole('button', { name: 'New party' }), { backwards: true });
      await keyboard.press('Enter');
      await tabTo(page, page.getByLabel('Legal name'));
      await keyboard.type('Tastatur Leasing AG');
      await tabTo(page, page.getByRole('combobox', { name: 'Country' }));
      await keyboard.type('Austria');
      await page.getByRole('option', { name: 'Austria (AT)' }).waitFor();
      await keyboard.press('ArrowDown');
      await keyboard.press('Enter');
      expect(await page.getByRole('combobox', { name: 'Country' }).inputValue()).toBe('Austria (AT)');
      await tabTo(page, page.getByLabel('Tax ID'), { max: 3 });
      await keyboard.press('Enter');
      await page.waitForURL(/\/parties\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: 'Tastatur Leasing AG' }).waitFor();

      // The calculator from the menu (Shift+Tab back up to it), filled and calculated by keyboard.
      await tabTo(page, menu.getByRole('link', { name: 'Lease calculator' }), { backwards: true });
      await keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Lease calculator', exact: true }).waitFor();
      await tabTo(page, page.getByLabel('Asset price'));
      await keyboard.type('36000.00');
      await tabTo(page, page.getByLabel('Term (months)'), { max: 2 });
      await keyboard.press('ControlOrMeta+A');
      await keyboard.type('24');
      await tabTo(page, page.getByLabel('Annual interest rate (%)'), { max: 2 });
      await keyboard.press('ControlOrMeta+A');
      await keyboard.type('6.9');
      await keyboard.press('Enter');
      const schedule = page.getByRole('table', { name: 'Payment schedule' });
      await schedule.waitFor();
      expect(await schedule.getByRole('row').count()).toBeGreaterThanOrEqual(25);

      // "Make a contract": a dialog that closes on Escape without making anything.
      const makeContract = page.getByRole('button', { name: 'Make a contract' });
      await tabTo(page, makeContract);
      await keyboard.press('Enter');
      const contractDialog = page.getByRole('dialog', { name: /Make a contract/ });
      await contractDialog.waitFor();
      await waitForFocusWithin(page, contractDialog);
      await keyboard.press('Escape');
      await contractDialog.waitFor({ state: 'detached' });
      const contracts = await booted.api('GET', '/api/leasing/v1/contracts', adminToken);
      expect(contracts.body.items).toHaveLength(1);
      await screenshot(page, 'keyboard-calculator');
    }, 180_000);

    it('should keep the folded menu out of the Tab order on a tablet, and tell whether the burger has opened it', async () => {
      const page = await newPage({ viewport: TABLET, hasTouch: true, isMobile: true });
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
      const burger = page.getByRole('button', { name: 'Toggle navigation' });
      const menu = page.getByRole('navigation', { name: 'Main' });
      const parties = menu.getByRole('link', { name: 'Parties', exact: true });

      // Folded (moved out of the window), its links must not take the focus: Tab from the header goes on to
      // the page, not into a dozen links nobody can see.
      await tabTo(page, page.getByRole('button', { name: /^Signed in as/ }));
      await page.keyboard.press('Tab');
      expect(await hasFocusWithin(menu), `focus went to ${await focusedElement(page)}`).toBe(false);
      expect(await burger.getAttribute('aria-expanded')).toBe('false');

      // Opened by keyboard from the burger, the menu is announced as open and its links come next.
      await tabTo(page, burger, { backwards: true });
      await page.keyboard.press('Enter');
      expect(await burger.getAttribute('aria-expanded')).toBe('true');
      await waitInViewport(parties);
      await tabTo(page, parties, { max: 8 });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Parties', exact: true }).waitFor();
      expect(await burger.getAttribute('aria-expanded')).toBe('false');
    });

    it('should give the focus back to "Make a contract" when its dialog closes on Escape', async () => {
      const page = await newPage({ viewport: { width: 1280, height: 900 } });
      await signIn(page, baseUrl, 'admin', ADMIN_PASSWORD);
      await page.goto(`${baseUrl}/calculator`);
      await page.getByRole('heading', { name: 'Lease calculator', exact: true }).waitFor();
      await calculate(page);
      const makeContract = page.getByRole('button', { name: 'Make a contract' });
      await makeContract.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: /Make a contract/ });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Not lost to the page body: the keyboard user goes on from where they were.
      await waitForFocus(page, makeContract, '"Make a contract"');
    });
  },
);

/** The seed the pages need to show something: a product, an asset, a checked party and a draft contract. */
async function seed(booted: BootedForTest, token: string): Promise<string> {
  const created = async (path: string, body: unknown) => {
    const answer = await booted.api('POST', path, token, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const product = await created('/api/leasing/v1/products', {
    code: 'UX-CAR',
    name: 'Cars (usability test)',
    currencies: ['EUR'],
    scheduleTypes: ['annuity', 'differentiated'],
    minTermMonths: 12,
    maxTermMonths: 60,
    minRate: '2',
    maxRate: '15',
  });
  const asset = await created('/api/assets/v1/assets', {
    type: 'car',
    make: 'Volkswagen',
    model: 'ID.4 Pro Performance',
    vin: 'WVGZZZE2ZRP000001',
    year: 2025,
    price: { amount: '52000.00', currency: 'EUR' },
  });
  const party = await created('/api/parties/v1/parties', {
    kind: 'company',
    name: PARTY,
    legalForm: 'GmbH',
    country: 'DE',
  });
  await created('/api/finance/v1/entries', {
    description: 'A lease receivable (usability test)',
    lines: [
      { accountCode: '1200', side: 'debit', amount: '52000.00' },
      { accountCode: '2200', side: 'credit', amount: '52000.00' },
    ],
  });
  await created(`/api/parties/v1/parties/${party.id}/kyc`, {
    status: 'verified',
    reason: 'documents checked',
  });
  const calculation = await created('/api/leasing/v1/calculations', {
    productId: product.id,
    assetPrice: { amount: '52000.00', currency: 'EUR' },
    termMonths: 36,
    annualRate: '5.9',
    scheduleType: 'annuity',
    startDate: '2026-10-01',
  });
  await created('/api/leasing/v1/contracts', {
    calculationId: calculation.id,
    partyId: party.id,
    assetId: asset.id,
  });
  return party.id;
}

/** A calculation on the calculator page, so that its schedule, chart and totals are on the page. */
async function calculate(page: Page): Promise<void> {
  await page.getByLabel('Asset price').fill('48000.00');
  await page.getByLabel('Term (months)').fill('24');
  await page.getByLabel('Annual interest rate (%)').fill('7.5');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await page.getByRole('table', { name: 'Payment schedule' }).waitFor();
  await page.getByRole('figure', { name: 'Schedule chart' }).locator('svg').first().waitFor();
}

/** The contracts list with its (seeded) contract in it. */
async function contractsShown(page: Page): Promise<void> {
  await page
    .getByRole('table', { name: 'Contracts' })
    .getByRole('row', { name: new RegExp(PARTY) })
    .waitFor();
}

/** The trial balance with the seeded entry's accounts in it. */
async function trialBalanceShown(page: Page): Promise<void> {
  await page
    .getByRole('table', { name: 'Trial balance' })
    .getByRole('row', { name: /Lease receivables/ })
    .waitFor();
}

/** The connectors' list has answered (a fresh system has none). */
async function connectorsShown(page: Page): Promise<void> {
  await page.getByText('No connectors yet.').waitFor();
}

/** The reconciliation of this month has answered (its periods, or that there are none). */
async function exportsShown(page: Page): Promise<void> {
  const table = page.getByRole('table', { name: 'Reconciliation by period' });
  await table
    .getByRole('row')
    .nth(1)
    .or(page.getByText('Nothing exported in this period.'))
    .first()
    .waitFor();
}

/** Whether any of the element lies inside the window (a folded menu is moved out of it, not hidden). */
async function inViewport(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const view = element.ownerDocument.defaultView;
    return box.right > 0 && box.bottom > 0 && box.left < view.innerWidth && box.top < view.innerHeight;
  });
}

/** Waits until the element has slid wholly into the window (the menu opens with a transition). */
async function waitInViewport(target: Locator): Promise<void> {
  await target.page().waitForFunction(
    (element) => {
      const box = element!.getBoundingClientRect();
      return box.left >= 0 && box.right <= element!.ownerDocument.defaultView.innerWidth;
    },
    await target.elementHandle(),
  );
}

/** Waits until the element has slid wholly out of the window. */
async function waitOutOfViewport(target: Locator): Promise<void> {
  await target
    .page()
    .waitForFunction((element) => element!.getBoundingClientRect().right <= 0, await target.elementHandle());
}
