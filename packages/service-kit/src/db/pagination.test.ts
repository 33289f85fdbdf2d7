import { describe, expect, it } from 'vitest';
import { kitErrors } from '../errors/kit.errors.ts';
import { decodeCursor, encodeCursor, parseSort } from './pagination.ts';

function problemCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('cursors', () => {
  it('should give back the values when decoding an encoded cursor', () => {
    const values = [
      'createdAt',
      'desc',
      '2024-01-02 03:04:05.123456+00',
      '0190a7c2-8f3e-7000-8000-000000000000',
    ];
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it('should be URL-safe when values hold any characters', () => {
    expect(encodeCursor(['ü/+?&=', 'x'.repeat(100)])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    '',
    'not a cursor!',
    '%%%',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[1,').toString('base64url'),
  ])('should answer INVALID_CURSOR when the cursor is %j', (cursor) => {
    expect(problemCode(() => decodeCursor(cursor))).toBe('INVALID_CURSOR');
  });
});

describe('parseSort', () => {
  const allowed = ['createdAt', 'name'];
  const fallback = { column: 'createdAt', direction: 'desc' } as const;

  it('should return the fallback when no sort is given', () => {
    expect(parseSort(undefined, allowed, fallback)).toEqual(fallback);
    expect(parseSort('', allowed, fallback)).toEqual(fallback);
  });

  it('should sort ascending when the column has no sign', () => {
    expect(parseSort('name', allowed, fallback)).toEqual({ column: 'name', direction: 'asc' });
  });

  it('should sort descending when the column has a leading minus', () => {
    expect(parseSort('-createdAt', allowed, fallback)).toEqual({ column: 'createdAt', direction: 'desc' });
  });

  it.each(['secretHash', '-', '--name', 'name,createdAt'])(
    'should answer VALIDATION_FAILED when sort is %j',
    (sort) => {
      let caught: unknown;
      try {
        parseSort(sort, allowed, fallback);
      } catch (error) {
        caught = error;
      }
      expect(kitErrors.is(caught, 'VALIDATION_FAILED')).toBe(true);
    },
  );
});
