import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { assetFixture, assetListFixture, policyFixture } from './asset.fixtures.ts';
import { AssetDetails } from './AssetCardPage.tsx';
import { ChangeStatusButton, StatusHistoryTable } from './AssetStatus.tsx';
import { AssetsTable } from './AssetsListPage.tsx';
import { InsurancePoliciesTable } from './InsurancePolicies.tsx';
import { assetsTexts } from './texts.ts';

const texts = { assets: assetsTexts };
const rowCells = (table: HTMLElement, row: number) =>
  within(within(table).getAllByRole('row')[row] as HTMLElement)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('asset tables', { timeout: 30_000 }, () => {
  it('should list assets with prices and dates in English, and ask the server to sort', async () => {
    const user = userEvent.setup({ delay: null });
    const onSortChange = vi.fn();
    renderWithProviders(
      <AssetsTable rows={assetListFixture()} sort="-createdAt" onSortChange={onSortChange} />,
      {
        texts,
      },
    );
    const table = screen.getByRole('table', { name: 'Assets' });
    expect(rowCells(table, 1)).toEqual([
      'Fendt',
      '724 Vario',
      'Agricultural equipment',
      'FEN724V2601187',
      '2026',
      '€186,000.00',
      'Leased',
      expect.stringMatching(/^(Jan 31, 2027|31 Jan 2027)$/),
    ]);
    expect(rowCells(table, 2)[7]).toBe('not insured');
    await user.click(screen.getByRole('button', { name: 'Sort by Year' }));
    expect(onSortChange).toHaveBeenCalledWith('year');
  });

  it('should list assets with prices and dates in German', () => {
    renderWithProviders(<AssetsTable rows={assetListFixture()} sort="-createdAt" onSortChange={vi.fn()} />, {
      texts,
      language: 'de',
    });
    const table = screen.getByRole('table', { name: 'Objekte' });
    expect(rowCells(table, 1).slice(5)).toEqual(['186.000,00\u00a0€', 'Verleast', '31.01.2027']);
  });

  it('should show a policy’s amounts and dates in German, with Edit only when allowed', () => {
    const { unmount } = renderWithProviders(<InsurancePoliciesTable rows={[policyFixture()]} />, {
      texts,
      language: 'de',
    });
    const table = screen.getByRole('table', { name: 'Versicherungspolicen' });
    expect(rowCells(table, 1).slice(2, 6)).toEqual([
      '01.02.2026',
      '31.01.2027',
      '186.000,00\u00a0€',
      '2.150,00\u00a0€',
    ]);
    expect(screen.queryByRole('button', { name: /bearbeiten/ })).toBeNull();
    unmount();
    const onEdit = vi.fn();
    renderWithProviders(<InsurancePoliciesTable rows={[policyFixture()]} onEdit={onEdit} />, { texts });
    expect(screen.getByRole('button', { name: 'Edit policy RV-LW-55120873' })).toBeTruthy();
  });

  it('should show the asset’s data with a link to its contract', () => {
    renderWithProviders(<AssetDetails asset={assetFixture()} canOpenContract />, { texts });
    expect(screen.getByRole('link', { name: 'Open the contract' }).getAttribute('href')).toBe(
      '/contracts/01a2121c-1984-748d-8f27-81a7259b1ad4',
    );
    expect(screen.getByText('FEN724V2601187')).toBeTruthy();
  });

  it('should offer by hand only the status changes the guard table allows', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ChangeStatusButton status="leased" onSubmit={vi.fn()} />, { texts });
    await user.click(screen.getByRole('button', { name: 'Change status' }));
    await user.click(await screen.findByRole('combobox', { name: /New status/ }));
    const options = (await screen.findAllByRole('option', { hidden: true })).map(
      (option) => option.textContent,
    );
    expect(options).toEqual(['Returned']);
  });

  it('should offer no status change for a sold asset', () => {
    renderWithProviders(<ChangeStatusButton status="sold" onSubmit={vi.fn()} />, { texts });
    expect(screen.queryByRole('button', { name: 'Change status' })).toBeNull();
  });
});

describe('the asset card names people', { timeout: 30_000 }, () => {
  const CREATOR = '01a2121c-0d46-73c8-8906-818e447dc3f7';
  const UNKNOWN = '01a2121c-0d46-73c8-8906-000000000bad';
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer(`GET /api/sso/v1/users/${CREATOR}`, () => ({
      body: { id: CREATOR, username: 'ada', fullName: 'Ada Lovelace' },
    }));
    api.answer(`GET /api/sso/v1/users/${UNKNOWN}`, () => ({
      status: 404,
      body: { title: 'Not Found', status: 404, detail: 'No such user' },
    }));
  });
  afterEach(() => api.close());

  it('should show who made and changed the asset by name, a short id where no name is known', async () => {
    await api.signInAs(['assets:assets:read', 'sso:users:read']);
    renderWithProviders(
      <AssetDetails asset={assetFixture({ createdBy: CREATOR, updatedBy: UNKNOWN })} canOpenContract />,
      { texts },
    );
    const created = await screen.findByText('ada', {}, { timeout: 10_000 });
    expect(created.getAttribute('title')).toBe(CREATOR);
    const updated = await screen.findByText('01a2121c…', {}, { timeout: 10_000 });
    expect(updated.getAttribute('title')).toBe(UNKNOWN);
    expect(document.body.textContent).not.toContain(CREATOR);
    expect(document.body.textContent).not.toContain(UNKNOWN);
  });

  it('should not look names up for a reader who may not read users, and show the short id', async () => {
    await api.signInAs(['assets:assets:read']);
    renderWithProviders(<AssetDetails asset={assetFixture({ createdBy: CREATOR })} canOpenContract />, {
      texts,
    });
    expect(screen.getByText('01a2121c…').getAttribute('title')).toBe(CREATOR);
    // A service client reads well as it is.
    expect(screen.getByText('client:demo-sales')).toBeTruthy();
    expect(api.calls.filter((call) => call.path.startsWith('/api/sso/v1/users/'))).toEqual([]);
  });

  it('should name the actor of each status change', async () => {
    await api.signInAs(['assets:assets:read', 'sso:users:read']);
    renderWithProviders(
      <StatusHistoryTable
        rows={[
          {
            id: '01a2121c-0a00-7000-8000-000000000001',
            assetId: assetFixture().id,
            from: 'available',
            to: 'leased',
            reason: 'Signed',
            contractId: null,
            eventId: null,
            actor: CREATOR,
            at: '2026-11-25T09:49:21.505Z',
          },
        ]}
      />,
      { texts },
    );
    const table = screen.getByRole('table', { name: 'Status history' });
    expect((await within(table).findByText('ada', {}, { timeout: 10_000 })).getAttribute('title')).toBe(
      CREATOR,
    );
  });
});
