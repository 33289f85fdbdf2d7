import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render.tsx';
import { AuditDiff } from './AuditDiff.tsx';
import { AuditRecordView } from './AuditRecordView.tsx';
import type { AuditRecord } from './AuditRecordsTable.tsx';
import { diffSnapshots } from './auditDiff.ts';
import { auditTexts } from './texts.ts';

const texts = { audit: auditTexts };

const before = {
  id: 'p-1',
  name: 'Julien Moreau',
  kycStatus: 'pending',
  taxId: null,
  address: { city: 'Lyon', country: 'FR' },
  currencies: ['EUR'],
};
const after = {
  id: 'p-1',
  name: 'Julien Moreau',
  kycStatus: 'verified',
  taxId: 'FR123',
  address: { city: 'Paris', country: 'FR' },
  currencies: ['EUR', 'CHF'],
};

/** The rows of the diff table as text: field, before, after, difference. */
function tableRows(): string[][] {
  const table = screen.getByRole('table', { name: 'Fields before and after the change' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent ?? ''),
    );
}

describe('diffSnapshots', () => {
  it('should compare nested fields by path and arrays of objects by index', () => {
    const rows = diffSnapshots(
      { lines: [{ amount: '10.00' }, { amount: '5.00' }], terms: { months: 36 } },
      { lines: [{ amount: '10.00' }, { amount: '7.50' }], terms: { months: 36 } },
    );
    expect(rows).toEqual([
      { path: 'lines[0].amount', before: '10.00', after: '10.00', kind: 'unchanged' },
      { path: 'lines[1].amount', before: '5.00', after: '7.50', kind: 'changed' },
      { path: 'terms.months', before: 36, after: 36, kind: 'unchanged' },
    ]);
  });

  it('should mark every field added when there is no snapshot before (created)', () => {
    expect(diffSnapshots(null, { a: 1, b: 'x' }).map((row) => row.kind)).toEqual(['added', 'added']);
    expect(diffSnapshots({ a: 1 }, null).map((row) => row.kind)).toEqual(['removed']);
  });
});

// Generous: the machine is shared, and rendering Mantine in jsdom takes seconds.
describe('AuditDiff', { timeout: 30_000 }, () => {
  it('should list the fields that differ with their old and new values, and hide the unchanged ones', () => {
    renderWithProviders(<AuditDiff before={before} after={after} changed={['kycStatus', 'taxId']} />, {
      texts,
    });
    expect(tableRows()).toEqual([
      ['kycStatus', 'pending', 'verified', 'changed'],
      ['taxId', 'empty', 'FR123', 'changed'],
      ['address.city', 'Lyon', 'Paris', 'changed'],
      ['currencies', '["EUR"]', '["EUR","CHF"]', 'changed'],
    ]);
    expect(screen.getByText('kycStatus', { selector: 'code:not(td code)' })).toBeDefined();
  });

  it('should show the unchanged fields on request', async () => {
    const user = userEvent.setup();
    renderWithProviders(<AuditDiff before={before} after={after} changed={[]} />, { texts });
    expect(tableRows().map(([field]) => field)).not.toContain('name');
    await user.click(screen.getByRole('switch', { name: 'Show unchanged fields (3)' }));
    const rows = tableRows();
    expect(rows).toContainEqual(['name', 'Julien Moreau', 'Julien Moreau', 'unchanged']);
    expect(rows).toHaveLength(7);
  });

  it('should show a created entity as added fields, in German too', () => {
    renderWithProviders(<AuditDiff before={null} after={{ name: 'Acme', active: true }} changed={[]} />, {
      texts,
      language: 'de',
    });
    const table = screen.getByRole('table', { name: 'Felder vor und nach der Änderung' });
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(cells).toEqual([
      ['name', '—', 'Acme', 'hinzugefügt'],
      ['active', '—', 'true', 'hinzugefügt'],
    ]);
  });
});

describe('AuditRecordView', () => {
  const record: AuditRecord = {
    id: '01a2121c-0507-71ad-984b-f9a9038e7de9',
    eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
    eventType: 'lessor.sso.login.failed.v1',
    occurredAt: '2026-01-31T10:15:00.000Z',
    recordedAt: '2026-01-31T10:15:01.000Z',
    service: 'sso',
    entityType: 'login',
    entityId: 'mallory',
    action: 'failed',
    actor: 'system',
    actorName: null,
    traceId: null,
    before: null,
    after: null,
    changed: [],
    data: { username: 'mallory', reason: 'INVALID_CREDENTIALS' },
  };

  it('should show the event data of a record without snapshots, and link to the entity history', () => {
    renderWithProviders(<AuditRecordView record={record} />, { texts });
    expect(screen.getByText(/has no before\/after snapshot/)).toBeDefined();
    expect(screen.getByRole('heading', { name: 'Event data' })).toBeDefined();
    expect(screen.getAllByText(/INVALID_CREDENTIALS/).length).toBeGreaterThan(0);
    expect(screen.getByRole('link', { name: 'All records of this entity' }).getAttribute('href')).toBe(
      '/audit?entityType=login&entityId=mallory',
    );
  });
});
