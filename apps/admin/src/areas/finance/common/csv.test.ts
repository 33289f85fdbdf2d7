import { describe, expect, it } from 'vitest';
import { attachmentName } from './csv.ts';

describe('attachmentName', () => {
  it('should take the file name the API gives', () => {
    expect(attachmentName('attachment; filename="trial-balance-LESSOR-2026-11-25.csv"')).toBe(
      'trial-balance-LESSOR-2026-11-25.csv',
    );
    expect(attachmentName("attachment; filename*=UTF-8''Bericht%20%C3%BCber.csv")).toBe('Bericht über.csv');
  });

  it('should never give a path, and nothing without a header', () => {
    expect(attachmentName('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
    expect(attachmentName(null)).toBeNull();
    expect(attachmentName('inline')).toBeNull();
  });
});
