import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render.tsx';
import { scheduleFixture } from './contract.fixtures.ts';
import { ScheduleTable } from './ScheduleTab.tsx';
import { contractsTexts } from './texts.ts';

const cells = (table: HTMLElement, row: number) =>
  within(within(table).getAllByRole('row')[row] as HTMLElement)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('ScheduleTable', { timeout: 30_000 }, () => {
  it('should list the installments with amounts and dates in English', () => {
    renderWithProviders(<ScheduleTable schedule={scheduleFixture()} />, {
      texts: { contracts: contractsTexts },
    });
    const table = screen.getByRole('table', { name: 'Schedule' });
    expect(cells(table, 1)).toEqual([
      '1',
      expect.stringMatching(/^(Feb 1, 2027|1 Feb 2027)$/),
      '€1,180.74',
      '€596.64',
      '€584.10',
      '€224.34',
      '€118,203.36',
    ]);
    expect(screen.getByText('€210,283.37')).toBeTruthy();
  });

  it('should list the installments with amounts and dates in German', () => {
    renderWithProviders(<ScheduleTable schedule={scheduleFixture()} />, {
      texts: { contracts: contractsTexts },
      language: 'de',
    });
    const table = screen.getByRole('table', { name: 'Zahlungsplan' });
    expect(cells(table, 2)).toEqual([
      '2',
      '01.03.2027',
      '1.180,74\u00a0€',
      '599,57\u00a0€',
      '581,17\u00a0€',
      '224,34\u00a0€',
      '117.603,79\u00a0€',
    ]);
    expect(screen.getByText('Version 1, gültig ab 01.01.2027, Effektivzins 5,360623 %')).toBeTruthy();
  });
});
