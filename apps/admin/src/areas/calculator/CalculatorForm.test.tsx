import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { defaultValues } from './calculation-form.ts';
import { CalculatorForm } from './CalculatorForm.tsx';
import { carProduct } from './fixtures.ts';
import { calculatorTexts } from './texts.ts';
import type { CalculationRequest } from './types.ts';

const texts = { calculator: calculatorTexts };
const today = new Date(2026, 10, 25);

/**
 * The text an input is described by (Mantine links its error and description with aria-describedby), with
 * the no-break spaces Intl puts into amounts as plain ones.
 */
function descriptionOf(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .replace(/[\u00a0\u202f]/g, ' ');
}

async function fill(user: ReturnType<typeof userEvent.setup>, label: RegExp, value: string) {
  const input = screen.getByLabelText(label, { selector: 'input' });
  await user.clear(input);
  await user.click(input);
  await user.paste(value);
}

// Rendering the whole form in jsdom takes seconds on a shared machine; no assertion depends on time.
describe('CalculatorForm', { timeout: 60_000 }, () => {
  it('should show "Required" beside the asset price and a malformed amount beside the residual value', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    renderWithProviders(
      <CalculatorForm
        products={[carProduct]}
        initialValues={defaultValues(carProduct, today)}
        onSubmit={onSubmit}
      />,
      { texts },
    );

    await fill(user, /^Residual value/, '12.000,5');
    await user.click(screen.getByRole('button', { name: 'Calculate' }));

    expect(descriptionOf(screen.getByLabelText(/^Asset price/))).toContain('Required');
    expect(descriptionOf(screen.getByLabelText(/^Residual value/))).toContain(
      'Enter an amount such as 45000.00',
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('should hold term, rate, advance and residual value to the product’s limits beside each field', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    renderWithProviders(
      <CalculatorForm
        products={[carProduct]}
        initialValues={defaultValues(carProduct, today)}
        onSubmit={onSubmit}
      />,
      { texts },
    );

    // The limits are shown before anything is typed.
    expect(descriptionOf(screen.getByLabelText(/^Term \(months\)/))).toContain('12 to 60 months');
    await fill(user, /^Asset price/, '45000');
    await fill(user, /^Term \(months\)/, '72');
    await fill(user, /^Annual interest rate/, '10.5');
    await fill(user, /^Advance \(%\)/, '30.01');
    // 40 % of 45,000.00 is 18,000.00: one cent more is refused.
    await fill(user, /^Residual value/, '18000.01');
    await user.click(screen.getByRole('button', { name: 'Calculate' }));

    expect(descriptionOf(screen.getByLabelText(/^Term \(months\)/))).toContain(
      'Between 12 and 60 months for this product',
    );
    expect(descriptionOf(screen.getByLabelText(/^Annual interest rate/))).toContain(
      'Between 3.9 % and 9.9 % for this product',
    );
    expect(descriptionOf(screen.getByLabelText(/^Advance \(%\)/))).toContain(
      'At most 30 % of the asset price for this product',
    );
    expect(descriptionOf(screen.getByLabelText(/^Residual value/))).toContain(
      'At most 40 % of the asset price for this product',
    );
    expect(onSubmit).not.toHaveBeenCalled();

    // Exactly at the limits the terms go to the API, amounts as decimal strings.
    await fill(user, /^Term \(months\)/, '60');
    await fill(user, /^Annual interest rate/, '9,9');
    await fill(user, /^Advance \(%\)/, '30');
    await fill(user, /^Residual value/, '18000');
    await user.click(screen.getByRole('button', { name: 'Calculate' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual<CalculationRequest>({
      productId: carProduct.id,
      assetPrice: { amount: '45000', currency: 'EUR' },
      advance: { percent: '30' },
      termMonths: 60,
      annualRate: '9.9',
      scheduleType: 'annuity',
      residualValue: { amount: '18000', currency: 'EUR' },
      startDate: '2026-12-01',
      vatRate: '19',
    });
  });

  it('should write the product’s limits in German with German decimals', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <CalculatorForm
        products={[carProduct]}
        initialValues={defaultValues(carProduct, today)}
        onSubmit={vi.fn()}
      />,
      { texts, language: 'de' },
    );

    expect(descriptionOf(screen.getByLabelText(/^Jahreszins/))).toContain('3,9 % bis 9,9 %');
    await fill(user, /^Objektpreis/, '45000,5');
    expect(descriptionOf(screen.getByLabelText(/^Objektpreis/))).toContain('Gelesen als 45.000,50 €');
    expect(descriptionOf(screen.getByLabelText(/^Anzahlung \(%\)/))).toContain(
      'Höchstens 30 % des Objektpreises (13.500,15 €)',
    );
    await fill(user, /^Jahreszins/, '2,5');
    await user.click(screen.getByRole('button', { name: 'Berechnen' }));
    expect(descriptionOf(screen.getByLabelText(/^Jahreszins/))).toContain(
      'Für dieses Produkt zwischen 3,9 % und 9,9 %',
    );
  });

  it('should show each field error of the API beside the input it belongs to, the rest at the top', () => {
    const error = new ApiError({
      type: 'urn:lessor:problem:lease-terms-invalid',
      title: 'The lease terms cannot be calculated',
      status: 422,
      code: 'LEASE_TERMS_INVALID',
      detail: 'The lease cannot be calculated with these terms',
      errors: [
        { field: '/body/termMonths', message: 'must be between 12 and 60 months for this product' },
        { field: '/body/advance/amount/amount', message: 'must be at most 30% of the asset price' },
        { field: '/body/residualValue/amount', message: 'must be less than the financed amount' },
        { field: '/body/fees/0/amount/amount', message: 'must be positive' },
      ],
    });
    renderWithProviders(
      <CalculatorForm
        products={[carProduct]}
        initialValues={{ ...defaultValues(carProduct, today), advanceMode: 'amount' }}
        onSubmit={vi.fn()}
        error={error}
      />,
      { texts },
    );

    expect(descriptionOf(screen.getByLabelText(/^Term \(months\)/))).toContain(
      'must be between 12 and 60 months for this product',
    );
    expect(descriptionOf(screen.getByLabelText(/^Advance amount/))).toContain(
      'must be at most 30% of the asset price',
    );
    expect(descriptionOf(screen.getByLabelText(/^Residual value/))).toContain(
      'must be less than the financed amount',
    );
    // The form has no input for the fees: that message goes to the top, with the problem's detail.
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The lease cannot be calculated with these terms');
    expect(alert.textContent).toContain('fees.0.amount.amount: must be positive');
    expect(alert.textContent).not.toContain('months for this product');
  });
});
