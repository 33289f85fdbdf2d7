import { describe, expect, it } from 'vitest';
import { kitErrors } from '../errors/kit.errors.ts';
import { etag, parseIfMatch } from './etag.ts';

describe('etag', () => {
  it('should make a strong ETag when given a version', () => {
    expect(etag(3)).toBe('"3"');
  });

  it('should read back the version when given its own ETag', () => {
    expect(parseIfMatch(etag(42))).toBe(42);
  });
});

describe('parseIfMatch', () => {
  it('should return undefined when there is no header', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it('should accept a weak ETag when a proxy weakened ours', () => {
    expect(parseIfMatch('W/"3"')).toBe(3);
  });

  it('should ignore surrounding whitespace when the header has some', () => {
    expect(parseIfMatch('  "7" ')).toBe(7);
  });

  it.each([
    '',
    '3',
    '"abc"',
    '*',
    '"1", "2"',
    '"0"',
    '"-1"',
    '"1.5"',
    'W/3',
    '"99999999999"',
    '"2147483648"',
  ])('should answer VALIDATION_FAILED when the header is %j', (header) => {
    let caught: unknown;
    try {
      parseIfMatch(header);
    } catch (error) {
      caught = error;
    }
    expect(kitErrors.is(caught, 'VALIDATION_FAILED')).toBe(true);
  });
});
