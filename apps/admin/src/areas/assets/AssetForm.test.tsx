import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { assetFixture } from './asset.fixtures.ts';
import { AssetForm, type AssetSubmission } from './AssetForm.tsx';
import { assetsTexts } from './texts.ts';

const texts = { assets: assetsTexts };

describe('AssetForm', { timeout: 30_000 }, () => {
  it('should say beside each field what is missing, and send nothing', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn(() => Promise.resolve());
    renderWithProviders(<AssetForm onSubmit={onSubmit} />, { texts });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('textbox', { name: /Make/ }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('textbox', { name: /Price \(amount\)/ }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(screen.getAllByText('Required.').length).toBeGreaterThanOrEqual(3);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('should show the API’s field errors beside their fields and the rest at the top', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(submission: AssetSubmission) => Promise<unknown>>(() =>
      Promise.reject(
        new ApiError({
          title: 'The request is not valid',
          status: 400,
          detail: '3 field(s) failed validation',
          errors: [
            { field: '/body/serialNumber', message: 'is already used for this make' },
            { field: '/body/price/amount', message: 'has more decimals than EUR allows' },
            { field: '/body', message: 'must NOT have additional properties' },
          ],
        }),
      ),
    );
    renderWithProviders(<AssetForm asset={assetFixture()} onSubmit={onSubmit} />, { texts });
    const amount = screen.getByRole('textbox', { name: /Price \(amount\)/ });
    await user.clear(amount);
    await user.type(amount, '186000,123');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledOnce();
    const [{ body, cleared }] = onSubmit.mock.calls[0]!;
    // The amount stays a decimal string; a comma is read as the decimal mark.
    expect(body.price).toEqual({ amount: '186000.123', currency: 'EUR' });
    expect(body).toMatchObject({ type: 'agricultural', serialNumber: 'FEN724V2601187', year: 2026 });
    expect(body).not.toHaveProperty('vin');
    expect(cleared).toEqual({ vin: null });
    expect(await screen.findByText('has more decimals than EUR allows')).toBeTruthy();
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('textbox', { name: /Serial number/ }).getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The request is not valid');
    expect(alert.textContent).toContain('must NOT have additional properties');
  });

  it('should ask a vehicle for its VIN and equipment for its serial number', () => {
    const { unmount } = renderWithProviders(
      <AssetForm
        asset={assetFixture({ type: 'van', vin: 'VF1MA000468123456', serialNumber: null })}
        onSubmit={vi.fn()}
      />,
      { texts },
    );
    expect(screen.getByRole('textbox', { name: /VIN/ })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: /Serial number/ })).toBeNull();
    unmount();
    renderWithProviders(<AssetForm asset={assetFixture()} onSubmit={vi.fn()} />, { texts, language: 'de' });
    expect(screen.getByRole('textbox', { name: /Seriennummer/ })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: /^FIN/ })).toBeNull();
  });
});
