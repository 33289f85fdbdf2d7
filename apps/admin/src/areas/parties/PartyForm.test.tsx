import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import {
  createPartyBody,
  partyValues,
  updatePartyBody,
  validateParty,
  type PartyFormValues,
} from './party-form.ts';
import { partyFixture } from './party.fixtures.ts';
import { PartyForm } from './PartyForm.tsx';
import { partiesTexts } from './texts.ts';

const texts = { parties: partiesTexts };

/** The text an input is described by (Mantine links its error and description with aria-describedby). */
function descriptionOf(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

const stored = partyFixture();

// Rendering the whole form in jsdom takes seconds on a shared machine; no assertion depends on time.
describe('PartyForm', { timeout: 60_000 }, () => {
  it('should show "Required" beside the legal name and the country when they are left empty', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    renderWithProviders(<PartyForm onSubmit={onSubmit} />, { texts });

    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(descriptionOf(screen.getByLabelText(/^Legal name/))).toContain('Required');
    expect(descriptionOf(screen.getByLabelText(/^Country/, { selector: 'input' }))).toContain('Required');
    expect(descriptionOf(screen.getByLabelText(/^Tax ID/))).not.toContain('Required');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('should refuse a malformed e-mail and phone beside their fields, in German too', async () => {
    const user = userEvent.setup();
    renderWithProviders(<PartyForm onSubmit={vi.fn()} />, { texts, language: 'de' });

    await user.click(screen.getByLabelText(/^E-Mail/));
    await user.paste('not-an-address');
    await user.click(screen.getByLabelText(/^Telefon/));
    await user.paste('030 1234');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));

    expect(descriptionOf(screen.getByLabelText(/^E-Mail/))).toContain('Keine gültige E-Mail-Adresse');
    expect(descriptionOf(screen.getByLabelText(/^Telefon/))).toContain('internationalen Format');
    expect(descriptionOf(screen.getByLabelText(/^Firmenname/))).toContain('Pflichtfeld');
  });

  it('should ask a person for first, last and full name, and compose the full name', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<(values: PartyFormValues) => void>();
    renderWithProviders(<PartyForm onSubmit={onSubmit} />, { texts });

    await user.click(screen.getByRole('radio', { name: 'Person' }));
    expect(screen.queryByLabelText(/^Legal name/)).toBeNull();
    expect(screen.queryByLabelText(/^Legal form/)).toBeNull();
    await user.click(screen.getByLabelText(/^First name/));
    await user.paste('Anna');
    await user.click(screen.getByLabelText(/^Last name/));
    await user.paste('Schmidt');
    expect(screen.getByLabelText(/^Full name/)).toHaveProperty('value', 'Anna Schmidt');

    await user.click(screen.getByLabelText(/^Country/, { selector: 'input' }));
    await user.paste('Germ');
    // The dropdown is still in its opening transition in jsdom (hidden to role queries): pick by text.
    await user.click(await screen.findByText('Germany (DE)'));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(createPartyBody(onSubmit.mock.calls[0]![0])).toEqual({
      kind: 'person',
      name: 'Anna Schmidt',
      firstName: 'Anna',
      lastName: 'Schmidt',
      country: 'DE',
    });
  });

  it('should show each field error of the API beside its field and the others at the top', () => {
    const error = new ApiError({
      type: 'urn:lessor:problem:party-invalid',
      title: 'The party is invalid',
      status: 422,
      code: 'PARTY_INVALID',
      detail: 'The party breaks the rules',
      errors: [
        { field: '/body/taxId', message: 'is not a valid VAT number of DE' },
        { field: '/body/addresses/0/country', message: 'is not an ISO 3166-1 alpha-2 country code' },
        { field: '/body/firstName', message: 'applies to people only' },
      ],
    });
    renderWithProviders(<PartyForm party={stored} onSubmit={vi.fn()} error={error} />, { texts });

    expect(descriptionOf(screen.getByLabelText(/^Tax ID/))).toContain('is not a valid VAT number of DE');
    const address = screen.getByRole('group', { name: 'Address 1' });
    expect(descriptionOf(within(address).getByLabelText(/^Country/, { selector: 'input' }))).toContain(
      'is not an ISO 3166-1 alpha-2 country code',
    );
    // A company has no first name input: that message goes to the alert at the top, with the detail.
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The party breaks the rules');
    expect(alert.textContent).toContain('firstName: applies to people only');
    expect(alert.textContent).not.toContain('VAT number');
  });
});

describe('party request bodies', () => {
  it('should leave empty optional fields out of a new party and the person fields out of a company', () => {
    const values = {
      ...partyValues(stored),
      firstName: 'left over',
      email: '  ',
      taxId: ' DE315935770 ',
      addresses: [],
    };
    expect(createPartyBody(values)).toEqual({
      kind: 'company',
      name: 'Hofmann Agrar GmbH',
      legalForm: 'GmbH',
      registrationNumber: 'HRB 7731',
      country: 'DE',
      taxId: 'DE315935770',
    });
  });

  it('should send only the changed fields of a stored party, a cleared one as null', () => {
    const values = { ...partyValues(stored), email: '', phone: '+49 30 1234567' };
    expect(updatePartyBody(values, stored)).toEqual({ email: null, phone: '+49 30 1234567' });
    expect(updatePartyBody(partyValues(stored), stored)).toEqual({});
  });

  it('should take phones as the API does: + and 7 to 15 digits, single spaces or dashes between', () => {
    const phone = (value: string) => validateParty({ ...partyValues(stored), phone: value }).phone;
    expect(phone('+49 30 1234567')).toBeUndefined();
    expect(phone('+49-30-1234567')).toBeUndefined();
    expect(phone('+4930123')).toBeUndefined();
    expect(phone('+493012')).toBe('phone');
    expect(phone('+49  30 1234567')).toBe('phone');
    expect(phone('+49 30 1234567-')).toBe('phone');
    expect(phone('+0 30 1234567')).toBe('phone');
    expect(phone('+49 30 1234567 8901 2')).toBe('phone');
  });
});
