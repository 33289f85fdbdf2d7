import { describe, expect, it } from 'vitest';
import { readRemotePage } from './remote-page.ts';

describe('readRemotePage', () => {
  it('should take a page whose records and cursor fit', () => {
    const page = { records: [{ id: 'r-1', name: 'One', updatedAt: '2026-12-01T10:00:00Z' }], next: 'r-1' };
    expect(readRemotePage(page)).toEqual(page);
    expect(readRemotePage({ records: [], next: null })).toEqual({ records: [], next: null });
  });

  it('should refuse a page naming where it does not fit when a record lacks its id', () => {
    expect(() =>
      readRemotePage({ records: [{ name: 'No id', updatedAt: '2026-12-01T10:00:00Z' }], next: null }),
    ).toThrow(/\/records\/0/);
  });

  it('should refuse an answer that is not a page at all', () => {
    expect(() => readRemotePage('<html>maintenance</html>')).toThrow(/does not fit/);
  });
});
