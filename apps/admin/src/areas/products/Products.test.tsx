import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderApp } from '../../testing/render.tsx';
import { carProduct } from '../calculator/fixtures.ts';
import type { Product } from '../calculator/types.ts';

const retiredProduct: Product = {
  ...carProduct,
  id: '01a2121b-fb1b-7720-85b5-efa6bcc90299',
  code: 'OLD-TRUCK',
  name: 'Trucks, 2024 terms',
  active: false,
};
const READ = ['sso:me:read', 'leasing:products:read'];
const WRITE = [...READ, 'leasing:products:write'];

describe('lease products', { timeout: 90_000 }, () => {
  let api: TestApi;
  let products: Product[];
  beforeEach(async () => {
    api = await serveApi();
    products = [carProduct, retiredProduct];
    api.answer('GET /api/leasing/v1/products', (call) => ({
      body: {
        items: call.query.get('active') === 'true' ? products.filter((product) => product.active) : products,
        nextCursor: null,
      },
    }));
  });
  afterEach(() => api.close());

  it('should offer the menu entry to a reader, and not to a user without the permission', async () => {
    await api.signInAs(READ);
    const { unmount } = renderApp('/products');
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).getByRole('link', { name: 'Lease products' }).getAttribute('href')).toBe('/products');
    expect(await screen.findByText('Car lease')).toBeTruthy();
    // A reader is offered no "New product".
    expect(screen.queryByRole('link', { name: 'New product' })).toBeNull();
    unmount();
    await api.signInAs(['sso:me:read', 'leasing:calculations:write']);
    renderApp('/calculator');
    expect(
      within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', {
        name: 'Lease products',
      }),
    ).toBeNull();
  });

  it('should list the products in use, and the retired ones when asked', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs(WRITE);
    renderApp('/products');
    const table = await screen.findByRole('table', { name: 'Lease products' });
    expect(await within(table).findByText('DEMO-CAR')).toBeTruthy();
    expect(within(table).getByText('12–60 months')).toBeTruthy();
    expect(within(table).getByText('3.9 %–9.9 %')).toBeTruthy();
    expect(within(table).queryByText('OLD-TRUCK')).toBeNull();
    expect(api.calls.at(-1)?.query.get('active')).toBe('true');

    await user.click(screen.getByRole('checkbox', { name: 'Show retired products' }));
    expect(await within(table).findByText('OLD-TRUCK')).toBeTruthy();
    expect(within(table).getByText('Retired')).toBeTruthy();
  });

  it('should make a product with decimal strings, and show the API’s refusal beside the field it names', async () => {
    const user = userEvent.setup({ delay: null });
    const sent: unknown[] = [];
    let refuse = true;
    api.answer('POST /api/leasing/v1/products', (call) => {
      sent.push(call.body);
      if (refuse)
        return {
          status: 409,
          body: {
            type: 'urn:lessor:problem:product-code-taken',
            title: 'A product with this code exists',
            status: 409,
            detail: 'Product VAN-STD exists',
            code: 'PRODUCT_CODE_TAKEN',
            errors: [{ field: '/body/code', message: 'is taken by another product' }],
          },
        };
      return { status: 201, body: { ...carProduct, ...(call.body as object), id: retiredProduct.id } };
    });
    products = [];
    await api.signInAs(WRITE);
    renderApp('/products');
    // A fresh install: the empty list leads to the form.
    await user.click(await screen.findByRole('link', { name: /Make the first one/ }, { timeout: 10_000 }));
    expect(await screen.findByRole('heading', { name: 'New lease product' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getAllByText('Required.').length).toBeGreaterThanOrEqual(3);
    expect(sent).toEqual([]);

    await user.type(screen.getByRole('textbox', { name: /^Code/ }), 'van-std');
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'Vans');
    await user.type(screen.getByRole('textbox', { name: /Lowest annual rate/ }), '4,5');
    await user.type(screen.getByRole('textbox', { name: /Highest annual rate/ }), '3');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('At least the lowest rate.')).toBeTruthy();
    expect(sent).toEqual([]);

    const highest = screen.getByRole('textbox', { name: /Highest annual rate/ });
    await user.clear(highest);
    await user.type(highest, '11.25');
    await user.click(screen.getByRole('button', { name: 'Add a fee' }));
    await user.type(screen.getByRole('textbox', { name: /Fee name/ }), 'Handling');
    await user.type(screen.getByRole('textbox', { name: /^Value/ }), '1,5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('is taken by another product')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /^Code/ }).getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]).toEqual({
      code: 'VAN-STD',
      name: 'Vans',
      description: '',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 60,
      minRate: '4.5',
      maxRate: '11.25',
      maxAdvancePercent: '50',
      maxResidualPercent: '50',
      penaltyRate: '0.05',
      fees: [{ name: 'Handling', percent: '1.5' }],
      active: true,
    });

    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(await screen.findByRole('heading', { name: 'Lease products' }, { timeout: 10_000 })).toBeTruthy();
  });

  it('should save a change with its version, and retire the product after asking (Cancel first)', async () => {
    const user = userEvent.setup({ delay: null });
    const patches: { body: unknown; ifMatch: string | undefined }[] = [];
    let current: Product = carProduct;
    api.answer(`GET /api/leasing/v1/products/${carProduct.id}`, () => ({ body: current }));
    api.answer(`PATCH /api/leasing/v1/products/${carProduct.id}`, (call) => {
      patches.push({ body: call.body, ifMatch: call.headers['if-match'] });
      current = { ...current, ...(call.body as object), version: current.version + 1 };
      return { body: current };
    });
    await api.signInAs(WRITE);
    renderApp(`/products/${carProduct.id}`);
    expect(await screen.findByRole('heading', { name: 'Lease product DEMO-CAR' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /^Code/ }).hasAttribute('readonly')).toBe(true);

    const retire = screen.getByRole('button', { name: 'Retire' });
    await user.click(retire);
    const dialog = await screen.findByRole('dialog', { name: 'Retire DEMO-CAR?' });
    expect(within(dialog).getByText(/stops offering Car lease/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(document.activeElement).toBe(retire));
    expect(patches).toEqual([]);

    await user.click(retire);
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({ body: { active: false }, ifMatch: '"1"' });
    expect(await screen.findByText(/Retired: the calculator does not offer this product/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Offer again' })).toBeTruthy();

    const name = screen.getByRole('textbox', { name: /^Name/ });
    await user.clear(name);
    await user.type(name, 'Car lease 2027');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(patches).toHaveLength(2));
    expect(patches[1]!.ifMatch).toBe('"2"');
    expect(patches[1]!.body).toMatchObject({ name: 'Car lease 2027', minRate: '3.9', fees: carProduct.fees });
    expect(patches[1]!.body).not.toHaveProperty('code');
  });

  it('should show a reader the product without a way to change it', async () => {
    api.answer(`GET /api/leasing/v1/products/${carProduct.id}`, () => ({ body: carProduct }));
    await api.signInAs(READ);
    renderApp(`/products/${carProduct.id}`);
    expect(await screen.findByRole('heading', { name: 'Lease product DEMO-CAR' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retire' })).toBeNull();
    expect(screen.getByText(/needs the permission leasing:products:write/)).toBeTruthy();
  });
});

describe('the calculator without products', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/leasing/v1/products', () => ({ body: { items: [], nextCursor: null } }));
    api.answer('GET /api/leasing/v1/calculations', () => ({ body: { items: [], nextCursor: null } }));
  });
  afterEach(() => api.close());

  it('should link a user who may make products to the form of the first one', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs(['sso:me:read', 'leasing:calculations:write', ...WRITE]);
    renderApp('/calculator');
    expect(await screen.findByText('No lease product is in use yet.')).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Make the first lease product' }));
    expect(await screen.findByRole('heading', { name: 'New lease product' })).toBeTruthy();
  });

  it('should tell a user who may not whom to ask, without a link', async () => {
    await api.signInAs(['sso:me:read', 'leasing:calculations:write', 'leasing:products:read']);
    renderApp('/calculator');
    expect(await screen.findByText('No lease product is in use yet.')).toBeTruthy();
    expect(screen.getByText(/Ask someone who manages lease products/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Make the first lease product' })).toBeNull();
  });
});
