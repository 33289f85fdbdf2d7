import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render.tsx';
import { APPROVER, AUTHOR, cardFixture, contractFixture } from './contract.fixtures.ts';
import { ContractCard } from './ContractCard.tsx';
import { contractsTexts } from './texts.ts';
import type { ContractCardData } from './types.ts';

function renderCard(card: ContractCardData, language: 'en' | 'de' = 'en') {
  return renderWithProviders(<ContractCard card={card} contract={card.contract ?? contractFixture()} />, {
    texts: { contracts: contractsTexts },
    language,
  });
}

describe('ContractCard', { timeout: 30_000 }, () => {
  it('should show every part the gateway gave', () => {
    renderCard(cardFixture());
    expect(screen.getByRole('heading', { level: 2, name: 'Contract LC-LESSOR-2026-000003' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Hofmann Agrar GmbH' }).getAttribute('href')).toBe(
      '/parties/01a2121c-0118-75d1-9fc8-92be3c6c0e05',
    );
    expect(screen.getByRole('link', { name: 'Fendt 724 Vario' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText('stale')).toBeNull();
  });

  it('should name who made and who approved the contract, and show a short id when leasing knows no name', () => {
    const { unmount } = renderCard(
      cardFixture({
        contract: contractFixture({
          status: 'approved',
          approvedBy: APPROVER,
          approvedByName: 'Paul Approver',
          approvedAt: '2026-11-26T10:00:00.000Z',
        }),
      }),
    );
    expect(screen.getByText(/· Anna Author$/)).toBeTruthy();
    expect(screen.getByText(/· Paul Approver$/)).toBeTruthy();
    expect(document.body.textContent).not.toContain(AUTHOR);
    unmount();
    renderCard(cardFixture({ contract: contractFixture({ createdByName: null }) }));
    expect(screen.getByText(/· 01a2121b…$/)).toBeTruthy();
  });

  it('should show a missing part with its reason, and the stored name marked stale', () => {
    renderCard(
      cardFixture({
        asset: null,
        parts: {
          contract: { status: 'ok' },
          party: { status: 'ok' },
          asset: { status: 'unavailable', reason: 'assets: timeout' },
          schedule: { status: 'forbidden', reason: 'leasing answered 403' },
        },
      }),
    );
    const alerts = screen.getAllByRole('alert').map((alert) => alert.textContent);
    expect(alerts).toContain('Asset details unavailable: assets: timeout');
    expect(alerts).toContain('Schedule summary details not shown to you: leasing answered 403');
    // The asset's name is only the one kept on the contract: shown, but marked stale with why.
    const assetName = screen.getByText('Fendt 724 Vario (FEN724V2601187)');
    const row = assetName.parentElement as HTMLElement;
    expect(within(row).getByText('stale')).toBeTruthy();
    expect(within(row).getByText('as stored on the contract')).toBeTruthy();
    // The party came fresh: no stale mark on it.
    expect(screen.getAllByText('stale')).toHaveLength(1);
  });

  it('should say so when the contract itself came from leasing directly', () => {
    renderCard(
      cardFixture({
        contract: null,
        party: null,
        asset: null,
        schedule: null,
        parts: {
          contract: { status: 'unavailable', reason: 'leasing: timeout' },
          party: { status: 'skipped', reason: 'the contract could not be read' },
          asset: { status: 'skipped', reason: 'the contract could not be read' },
          schedule: { status: 'unavailable', reason: 'leasing: timeout' },
        },
      }),
    );
    const alerts = screen.getAllByRole('alert').map((alert) => alert.textContent);
    expect(alerts[0]).toContain('Contract details unavailable: leasing: timeout');
    expect(alerts).toContain('Lessee details not read: the contract could not be read');
    expect(screen.getAllByText('stale')).toHaveLength(2);
  });

  it('should write money, rates and dates in English', () => {
    renderCard(cardFixture());
    expect(screen.getByText('€118,800.00')).toBeTruthy();
    expect(screen.getByText('5.9 %')).toBeTruthy();
    expect(screen.getByText(/^(Jan 1, 2027|1 Jan 2027)$/)).toBeTruthy();
    expect(screen.getByText('60 months')).toBeTruthy();
  });

  it('should write money, rates and dates in German', () => {
    renderCard(cardFixture(), 'de');
    expect(screen.getByRole('heading', { level: 2, name: 'Vertrag LC-LESSOR-2026-000003' })).toBeTruthy();
    expect(screen.getByText('118.800,00 €')).toBeTruthy();
    expect(screen.getByText('5,9 %')).toBeTruthy();
    expect(screen.getByText('01.01.2027')).toBeTruthy();
    expect(screen.getByText('60 Monate')).toBeTruthy();
    expect(screen.getByText('Nr. 1 am 01.02.2027: 1.180,74 € + 224,34 € USt.')).toBeTruthy();
  });
});
