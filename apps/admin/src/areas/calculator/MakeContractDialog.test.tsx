import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { assetFixture } from '../assets/asset.fixtures.ts';
import { contractFixture } from '../contracts/contract.fixtures.ts';
import { partyFixture } from '../parties/party.fixtures.ts';
import { calculation } from './fixtures.ts';
import { MakeContractDialog } from './MakeContractDialog.tsx';

const free = assetFixture({
  id: '01a2121c-0896-76ac-8f90-00000000f4ee',
  make: 'Fendt',
  model: '516 Vario',
  serialNumber: 'FEN516',
  status: 'available',
  contractId: null,
});
// assets says "available": only leasing knows a draft holds it.
const heldByDraft = assetFixture({
  id: '01a2121c-0896-76ac-8f90-0000000be1d0',
  make: 'Claas',
  model: 'Axion 870',
  serialNumber: 'CLA870',
  status: 'available',
  contractId: null,
});
const draft = contractFixture({
  id: '01a2121c-1984-748d-8f27-0000000d4af7',
  number: 'LC-LESSOR-2026-000077',
  status: 'draft',
  asset: { ...contractFixture().asset, id: heldByDraft.id, name: 'Claas Axion 870' },
});
const party = partyFixture({ country: 'DE' });

// The machine is shared and slow: the lookups chain (list, then options).
configure({ asyncUtilTimeout: 10_000 });

describe('MakeContractDialog', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/parties/v1/parties', () => ({ body: { items: [party], nextCursor: null } }));
    api.answer('GET /api/assets/v1/assets', () => ({
      body: { items: [free, heldByDraft], nextCursor: null },
    }));
    api.answer('GET /api/leasing/v1/contracts', (call) => {
      const status = call.query.get('status');
      const assetId = call.query.get('assetId');
      const items = [draft].filter(
        (contract) =>
          (status === null || contract.status === status) &&
          (assetId === null || contract.asset.id === assetId),
      );
      return { body: { items, nextCursor: null } };
    });
  });
  afterEach(() => api.close());

  const render = () =>
    renderWithProviders(<MakeContractDialog calculation={calculation} opened onClose={() => undefined} />);
  /** Opens the select labelled `name` and answers its options' texts (its own list only). */
  const optionsOf = async (user: ReturnType<typeof userEvent.setup>, name: RegExp) => {
    const input = (await screen.findAllByLabelText(name))[0]!;
    await user.click(input);
    return () => {
      const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
      return list
        ? within(list)
            .queryAllByRole('option', { hidden: true })
            .map((option) => option.textContent)
        : [];
    };
  };
  const pick = async (user: ReturnType<typeof userEvent.setup>, name: RegExp, option: RegExp) => {
    const options = await optionsOf(user, name);
    await waitFor(() => expect(options().some((text) => option.test(text ?? ''))).toBe(true));
    await user.click(screen.getByRole('option', { name: option, hidden: true }));
  };

  it('should offer only the assets no contract holds, and parties with their country named', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs([
      'sso:me:read',
      'leasing:contracts:write',
      'leasing:contracts:read',
      'parties:parties:read',
      'assets:assets:read',
    ]);
    render();
    await waitFor(() =>
      expect(
        api.calls
          .filter((call) => call.path === '/api/leasing/v1/contracts')
          .map((call) => call.query.get('status'))
          .sort(),
      ).toEqual(['approved', 'draft']),
    );
    await waitFor(() => expect(api.calls.some((call) => call.path === '/api/assets/v1/assets')).toBe(true));
    const assets = await optionsOf(user, /^Asset/);
    await waitFor(() => expect(assets()).toEqual([expect.stringContaining('Fendt 516 Vario')]));
    await user.keyboard('{Escape}');
    const parties = await optionsOf(user, /^Lessee/);
    await waitFor(() => expect(parties()[0]).toContain('Germany (DE)'));
  });

  it('should name the contract that holds the asset when leasing refuses it', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer('POST /api/leasing/v1/contracts', () => ({
      status: 409,
      body: {
        type: 'urn:lessor:problem:asset-not-available',
        title: 'The asset is not available',
        status: 409,
        code: 'ASSET_NOT_AVAILABLE',
        detail: 'Another live contract holds this asset',
      },
    }));
    // Without leasing:contracts:read the choice is not narrowed: the asset can be chosen and is refused.
    await api.signInAs([
      'sso:me:read',
      'leasing:contracts:write',
      'parties:parties:read',
      'assets:assets:read',
    ]);
    render();
    await pick(user, /^Lessee/, /Germany/);
    await pick(user, /^Asset/, /Claas Axion 870/);
    await user.click(screen.getByRole('button', { name: 'Create draft contract' }));
    // The refusal's detail above the form and beside the asset.
    expect(await screen.findAllByText('Another live contract holds this asset')).toHaveLength(2);
    // The holder is looked up only with the permission to read contracts; none here, so no name is invented.
    expect(api.calls.some((call) => call.query.get('assetId') !== null)).toBe(false);
  });

  it('should look the holder up and link to it when the reader may read contracts', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer('POST /api/leasing/v1/contracts', () => ({
      status: 409,
      body: {
        title: 'The asset is not available',
        status: 409,
        code: 'ASSET_NOT_AVAILABLE',
        detail: 'Another live contract holds this asset',
      },
    }));
    // The draft appears after the dialog listed the assets (made meanwhile by someone else).
    let drafts = false;
    api.answer('GET /api/leasing/v1/contracts', (call) => ({
      body: {
        items: call.query.get('assetId') === heldByDraft.id || drafts ? [draft] : [],
        nextCursor: null,
      },
    }));
    await api.signInAs([
      'sso:me:read',
      'leasing:contracts:write',
      'leasing:contracts:read',
      'parties:parties:read',
      'assets:assets:read',
    ]);
    render();
    await pick(user, /^Lessee/, /Germany/);
    await pick(user, /^Asset/, /Claas Axion 870/);
    drafts = true;
    await user.click(screen.getByRole('button', { name: 'Create draft contract' }));
    const alert = await screen.findByText(
      /Contract LC-LESSOR-2026-000077 \(Draft\) holds it/,
      {},
      { timeout: 10_000 },
    );
    const link = within(alert.closest('[role="alert"]') as HTMLElement).getByRole('link', {
      name: 'Open LC-LESSOR-2026-000077',
    });
    expect(link.getAttribute('href')).toBe(`/contracts/${draft.id}`);
  });
});
