import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { BankImport, BankImportLine } from '../common/types.ts';
import { billingTexts } from '../texts.ts';
import { ImportProgress, ImportReport, importPercent } from './ImportReport.tsx';

const texts = { billing: billingTexts };

function line(
  entry: number,
  fileLine: number,
  status: BankImportLine['status'],
  reason: string | null,
): BankImportLine {
  return {
    entry,
    line: fileLine,
    status,
    reason,
    paymentId:
      status === 'matched' || status === 'unmatched' ? `00000000-0000-4000-8000-00000000000${entry}` : null,
    valueDate: status === 'refused' ? null : '2026-11-02',
    amount: status === 'refused' ? null : { amount: '1250.00', currency: 'EUR' },
    reference: status === 'refused' ? null : `REF ${entry}`,
    bankReference: status === 'refused' ? null : `BANK-${entry}`,
  };
}

const completed: BankImport = {
  id: '00000000-0000-4000-8000-0000000000aa',
  format: 'csv',
  fileName: 'statement-november.csv',
  fileHash: 'f'.repeat(64),
  legalEntity: 'LESSOR',
  status: 'completed',
  linesTotal: 5,
  linesDone: 5,
  matched: 1,
  unmatched: 1,
  refused: 2,
  skipped: 1,
  createdAt: '2026-11-25T09:59:58.000Z',
  createdBy: 'user:0001',
  finishedAt: '2026-11-25T10:00:00.000Z',
  lines: [
    line(1, 2, 'matched', null),
    line(2, 3, 'refused', 'amount "12,50" is not a plain decimal with a "."'),
    line(3, 4, 'unmatched', 'reference has wrong check digits'),
    line(4, 6, 'refused', 'valueDate "2026-02-30" is not a date'),
    line(5, 7, 'skipped', 'bank reference imported before'),
  ],
};

describe('ImportReport', { timeout: 30_000 }, () => {
  it('should list every refused line with its line number in the file and its reason', () => {
    renderWithProviders(<ImportReport imported={completed} />, { texts });
    const refused = screen.getByRole('table', { name: 'Refused lines' });
    const rows = within(refused).getAllByRole('row').slice(1);
    expect(
      rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      ),
    ).toEqual([
      ['3', '2', 'amount "12,50" is not a plain decimal with a "."'],
      ['6', '4', 'valueDate "2026-02-30" is not a date'],
    ]);
  });

  it('should count the outcomes and filter the report by one', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ImportReport imported={completed} />, { texts });
    expect(screen.getByText('2 refused')).toBeTruthy();
    expect(screen.getByText('1 unmatched')).toBeTruthy();
    const report = () => screen.getByRole('table', { name: 'Import report' });
    expect(within(report()).getAllByRole('row')).toHaveLength(1 + 5);
    await user.click(screen.getByRole('radio', { name: 'Unmatched' }));
    const rows = within(report()).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain('reference has wrong check digits');
  });

  it('should show no refused table when every line imported', () => {
    renderWithProviders(
      <ImportReport
        imported={{ ...completed, refused: 0, lines: completed.lines.filter((l) => l.status !== 'refused') }}
      />,
      { texts },
    );
    expect(screen.queryByRole('table', { name: 'Refused lines' })).toBeNull();
  });

  it('should say in German which lines were refused and why', () => {
    renderWithProviders(<ImportReport imported={completed} />, { texts, language: 'de' });
    const refused = screen.getByRole('table', { name: 'Abgelehnte Zeilen' });
    expect(
      within(refused)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Zeile', 'Eintrag', 'Grund']);
    expect(within(refused).getAllByRole('row')).toHaveLength(3);
  });
});

describe('ImportProgress', { timeout: 30_000 }, () => {
  it('should show a running import as a progress bar with the lines done', () => {
    renderWithProviders(<ImportProgress imported={{ status: 'running', linesDone: 3, linesTotal: 8 }} />, {
      texts,
    });
    const bar = screen.getByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('37');
    expect(screen.getByText('3 of 8 lines imported (37 %)…')).toBeTruthy();
  });

  it('should round down so that 100 % means every line is done', () => {
    expect(importPercent(199, 200)).toBe(99);
    expect(importPercent(200, 200)).toBe(100);
    expect(importPercent(0, 0)).toBe(100);
  });
});
