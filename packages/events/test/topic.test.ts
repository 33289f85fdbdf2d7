import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicMatches } from '../src/index.ts';

// The textbook recursive definition, a second reading of the rules to check the table-driven one against.
function reference(pattern: readonly string[], key: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return key.length === 0;
  if (head === '#') return reference(rest, key) || (key.length > 0 && reference(pattern, key.slice(1)));
  if (key.length === 0) return false;
  return (head === '*' || head === key[0]) && reference(rest, key.slice(1));
}

describe('topic matching', () => {
  it.each([
    ['lessor.sso.user.created.v1', 'lessor.sso.user.created.v1', true],
    ['lessor.sso.user.created.v1', 'lessor.sso.user.updated.v1', false],
    ['lessor.*.user.created.v1', 'lessor.sso.user.created.v1', true],
    ['lessor.*.created.v1', 'lessor.sso.user.created.v1', false],
    ['lessor.#', 'lessor.sso.user.created.v1', true],
    ['lessor.#', 'lessor', true],
    ['#', 'lessor.sso.user.created.v1', true],
    ['#.v1', 'lessor.sso.user.created.v1', true],
    ['#.v2', 'lessor.sso.user.created.v1', false],
    ['lessor.#.created.v1', 'lessor.sso.user.created.v1', true],
    ['lessor.#.#.v1', 'lessor.v1', true],
    ['lessor.sso.#', 'lessor.parties.party.created.v1', false],
    ['lessor.*', 'lessor', false],
    ['*.*.*.*.*', 'lessor.sso.user.created.v1', true],
  ])('should answer %s ~ %s → %s when matching by AMQP topic rules', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  it('should agree with a regular-expression reading when patterns and keys are random', () => {
    const word = fc.constantFrom('lessor', 'sso', 'user', 'created', 'v1', 'a');
    const patternWord = fc.oneof(word, fc.constant('*'), fc.constant('#'));
    fc.assert(
      fc.property(
        fc.array(patternWord, { minLength: 1, maxLength: 6 }),
        fc.array(word, { minLength: 1, maxLength: 6 }),
        (pattern, key) => {
          expect(topicMatches(pattern.join('.'), key.join('.'))).toBe(reference(pattern, key));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
