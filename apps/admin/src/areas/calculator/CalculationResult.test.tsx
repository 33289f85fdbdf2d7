import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render.tsx';
import { CalculationResult } from './CalculationResult.tsx';
import { calculation } from './fixtures.ts';
import { calculatorTexts } from './texts.ts';

const texts = { calculator: calculatorTexts };
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** The cells of a table row, as text. */
function cells(row: HTMLElement): string[] {
  return [...row.querySelectorAll('td, th')].map((cell) => plain(cell.textContent));
}

describe('CalculationResult', { timeout: 60_000 }, () => {
  it('should write the schedule and its totals in English money and dates', () => {
    renderWithProviders(<CalculationResult calculation={calculation} canMakeContract={false} />, { texts });

    const table = screen.getByRole('table', { name: 'Payment schedule' });
    const rows = within(table).getAllByRole('row');
    expect(
      within(rows[0]!)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Month', 'Due date', 'Principal', 'Interest', 'VAT', 'Payment', 'Remaining balance']);
    expect(cells(rows[1]!)).toEqual([
      '1',
      'Jan 1, 2027',
      '€8,962.69',
      '€112.50',
      '€1,724.29',
      '€9,075.19',
      '€18,037.31',
    ]);
    expect(cells(rows[3]!)).toEqual([
      '3',
      'Mar 1, 2027',
      '€9,037.27',
      '€37.65',
      '€1,724.23',
      '€9,074.92',
      '€0.00',
    ]);
    // The footer is the API's totals, not a sum made here.
    expect(cells(rows[4]!)).toEqual(['Total', '€27,000.00', '€225.30', '€5,172.81', '€27,225.30', '']);

    const totals = plain(screen.getByRole('region', { name: 'Totals' }).textContent);
    expect(totals).toContain('Financed amount€27,000.00');
    expect(totals).toContain('Effective rate (p.a.)6.961293 %');
    expect(totals).toContain('Total cost€30,475.30');
    expect(screen.getByRole('figure', { name: 'Schedule chart' })).toBeTruthy();
    // The saved calculation named by its terms, not its id (the id on hover).
    const saved = screen.getByText('Saved as the calculation €30,000.00 · 3 months · 5 % · Nov 25, 2026');
    expect(saved.getAttribute('title')).toBe('01a2121c-f1de-761b-b9ba-ec41a966ecde');
    expect(document.body.textContent).not.toContain('01a2121c-f1de');
  });

  it('should write the schedule and its totals in German money and dates', () => {
    renderWithProviders(<CalculationResult calculation={calculation} canMakeContract={false} />, {
      texts,
      language: 'de',
    });

    const table = screen.getByRole('table', { name: 'Zahlungsplan' });
    const rows = within(table).getAllByRole('row');
    expect(cells(rows[1]!)).toEqual([
      '1',
      '01.01.2027',
      '8.962,69 €',
      '112,50 €',
      '1.724,29 €',
      '9.075,19 €',
      '18.037,31 €',
    ]);
    expect(cells(rows[4]!)).toEqual(['Summe', '27.000,00 €', '225,30 €', '5.172,81 €', '27.225,30 €', '']);
    const totals = plain(screen.getByRole('region', { name: 'Summen' }).textContent);
    expect(totals).toContain('Finanzierungsbetrag27.000,00 €');
    expect(totals).toContain('Effektivzins (p. a.)6,961293 %');
  });

  it('should offer "Make a contract" only with the permission, and only for a calculation with a product', () => {
    const { unmount } = renderWithProviders(
      <CalculationResult calculation={calculation} canMakeContract={false} />,
      { texts },
    );
    expect(screen.queryByRole('button', { name: 'Make a contract' })).toBeNull();
    unmount();

    renderWithProviders(
      <CalculationResult calculation={{ ...calculation, productId: null }} canMakeContract />,
      {
        texts,
      },
    );
    expect(screen.getByRole('button', { name: 'Make a contract' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('A contract needs a calculation made with a lease product.')).toBeTruthy();
  });
});
