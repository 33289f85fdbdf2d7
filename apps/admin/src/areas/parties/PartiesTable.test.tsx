import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../testing/render.tsx';
import { filtersOf, PartiesTable } from './PartiesPage.tsx';
import { partiesTexts } from './texts.ts';
import type { Party } from './types.ts';

const texts = { parties: partiesTexts };

const party: Party = {
  id: '01a2121c-03cf-7729-9988-8fce1a9fbfb9',
  kind: 'person',
  name: 'Anna Schmidt',
  firstName: 'Anna',
  lastName: 'Schmidt',
  legalForm: null,
  country: 'DE',
  taxId: null,
  registrationNumber: null,
  email: null,
  phone: null,
  addresses: [],
  contacts: [],
  externalRefs: [],
  kycStatus: 'pending',
  createdAt: '2026-11-25T09:49:15.599Z',
  createdBy: 'client:demo-sales',
  updatedAt: '2026-11-25T09:49:15.674Z',
  updatedBy: 'client:demo-risk',
  version: 2,
  deletedAt: '2026-11-26T08:00:00.000Z',
  deletedBy: 'client:demo-sales',
};

describe('PartiesTable', { timeout: 60_000 }, () => {
  it('should ask the server for the sort of the clicked column, descending on the second click', async () => {
    const user = userEvent.setup();
    const onSortChange = vi.fn();
    renderWithProviders(
      <PartiesTable rows={[party]} sort="country" onSortChange={onSortChange} onOpen={vi.fn()} />,
      { texts },
    );

    await user.click(screen.getByRole('button', { name: 'Sort by Country' }));
    await user.click(screen.getByRole('button', { name: 'Sort by Last changed' }));
    expect(onSortChange.mock.calls).toEqual([['-country'], ['updatedAt']]);
    // Kind and KYC status are not sortable by the API: no sort button.
    expect(screen.queryByRole('button', { name: 'Sort by Kind' })).toBeNull();
  });

  it('should show a party in German, its country by name and a deleted one marked', () => {
    renderWithProviders(<PartiesTable rows={[party]} sort="name" onSortChange={vi.fn()} onOpen={vi.fn()} />, {
      texts,
      language: 'de',
    });
    const row = screen.getByRole('row', { name: /Anna Schmidt/ });
    expect(row.textContent).toContain('Gelöscht');
    expect(row.textContent).toContain('Deutschland');
    expect(row.textContent).toContain('Ausstehend');
  });
});

describe('the list filters in the address', () => {
  it('should read known values and fall back for unknown ones', () => {
    expect(filtersOf(new URLSearchParams('q=hof&kind=person&sort=-updatedAt&deleted=only'))).toEqual({
      q: 'hof',
      kind: 'person',
      country: undefined,
      kycStatus: undefined,
      deleted: 'only',
      sort: '-updatedAt',
    });
    expect(filtersOf(new URLSearchParams('kind=robot&sort=taxId&deleted=all'))).toMatchObject({
      kind: undefined,
      sort: 'name',
      deleted: 'exclude',
    });
  });
});
