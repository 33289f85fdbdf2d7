import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { AgingCurrency } from '../common/types.ts';
import { billingTexts } from '../texts.ts';
import { AgingChart } from './AgingChart.tsx';
import { agingChartData } from './aging.ts';

const texts = { billing: billingTexts };
const money = (amount: string) => ({ amount, currency: 'EUR' });

// As the API answers: buckets in its own order, one bucket (61-90) absent.
const eur: AgingCurrency = {
  currency: 'EUR',
  buckets: [
    { bucket: '90+', amount: money('120.00'), invoices: 1 },
    { bucket: 'current', amount: money('2110.27'), invoices: 2 },
    { bucket: '1-30', amount: money('1055.13'), invoices: 1 },
    { bucket: '31-60', amount: money('90071992547409.93'), invoices: 3 },
  ],
  total: money('90071992550695.33'),
};

describe('agingChartData', () => {
  it('should give the five buckets in order, the missing one as zero, with the exact amounts kept', () => {
    const bars = agingChartData(eur, (bucket) => `label ${bucket}`);
    expect(bars.map((bar) => [bar.bucket, bar.label, bar.amount, bar.invoices])).toEqual([
      ['current', 'label current', 2110.27, 2],
      ['1-30', 'label 1-30', 1055.13, 1],
      ['31-60', 'label 31-60', Number('90071992547409.93'), 3],
      ['61-90', 'label 61-90', 0, 0],
      ['90+', 'label 90+', 120, 1],
    ]);
    // The number is for drawing; the text uses the string, which a float would have changed.
    expect(bars[2]?.exact).toBe('90071992547409.93');
  });
});

describe('AgingChart', { timeout: 30_000 }, () => {
  it('should show the buckets as a table with exact amounts and the total, in English and German', () => {
    const { unmount } = renderWithProviders(<AgingChart aging={eur} />, { texts });
    const table = screen.getByRole('table', { name: 'Aging in EUR' });
    const rows = within(table)
      .getAllByRole('row')
      .map((row) => Array.from(row.querySelectorAll('th,td')).map((cell) => cell.textContent));
    expect(rows.slice(1)).toEqual([
      ['Not yet due', '2', '€2,110.27'],
      ['1–30 days', '1', '€1,055.13'],
      ['31–60 days', '3', '€90,071,992,547,409.93'],
      ['61–90 days', '0', '€0.00'],
      ['Over 90 days', '1', '€120.00'],
      ['Total', '7', '€90,071,992,550,695.33'],
    ]);
    unmount();

    renderWithProviders(<AgingChart aging={eur} />, { texts, language: 'de' });
    const german = screen.getByRole('table', { name: 'Altersstruktur in EUR' });
    expect(within(german).getByText('Über 90 Tage')).toBeTruthy();
    expect(within(german).getByText('90.071.992.550.695,33 €')).toBeTruthy();
  });
});
