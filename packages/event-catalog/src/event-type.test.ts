import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertBinding, EventCatalogError, matchesBinding, parseEventType } from './event-type.ts';

describe('parseEventType', () => {
  it('should split the words when the type follows the naming rule', () => {
    expect(parseEventType('lessor.sso.token.reuse-detected.v1')).toEqual({
      service: 'sso',
      entity: 'token',
      verb: 'reuse-detected',
      major: 1,
    });
    expect(parseEventType('lessor.geo.asset.left-zone.v12').major).toBe(12);
  });

  it.each([
    'sso.user.created.v1',
    'lessor.sso.user.created',
    'lessor.sso.user.created.v0',
    'lessor.sso.user.created.V1',
    'lessor.SSO.user.created.v1',
    'lessor.sso.user_account.created.v1',
    'lessor.sso.user.created.v1.extra',
  ])('should refuse %s when it breaks the pattern', (type) => {
    expect(() => parseEventType(type)).toThrow(EventCatalogError);
  });

  it.each(['lessor.sso.user.create.v1', 'lessor.sso.user.creation.v1', 'lessor.billing.invoice.issue.v1'])(
    'should refuse %s when the verb is not in the past tense',
    (type) => {
      expect(() => parseEventType(type)).toThrow(/past tense/);
    },
  );
});

describe('matchesBinding', () => {
  it.each([
    ['lessor.*.*.created.v1', 'lessor.sso.user.created.v1', true],
    ['lessor.*.*.created.v1', 'lessor.sso.service-client.created.v1', true],
    ['lessor.*.*.created.v1', 'lessor.sso.user.created.v2', false],
    ['lessor.*.created.v1', 'lessor.sso.user.created.v1', false],
    ['lessor.#', 'lessor.sso.user.created.v1', true],
    ['lessor.sso.#.v1', 'lessor.sso.login.failed.v1', true],
    ['#', 'lessor.sso.login.failed.v1', true],
    ['lessor.#.failed.#', 'lessor.sso.login.failed.v1', true],
    ['lessor.sso.login.failed.v1', 'lessor.sso.login.failed.v1', true],
    ['lessor.sso.login.failed.v1', 'lessor.sso.login.locked.v1', false],
  ])('should answer %s against %s as the broker does when matching', (pattern, type, expected) => {
    expect(matchesBinding(pattern, type)).toBe(expected);
  });

  it('should match every type against lessor.# and itself when the type is any five-word key', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 4, maxLength: 4 }), (words) => {
        const type = ['lessor', ...words].join('.');
        return (
          matchesBinding('lessor.#', type) && matchesBinding(type, type) && !matchesBinding('lessor.*', type)
        );
      }),
    );
  });

  it('should answer when a pattern holds many # words', () => {
    // 40 `#` over 17 words: a backtracking matcher tries about C(57, 17) splits and would not finish within the
    // test's timeout; a linear one answers at once.
    const pattern = Array.from({ length: 40 }, () => '#').join('.') + '.nope';
    expect(matchesBinding(pattern, 'lessor.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p')).toBe(false);
  });
});

describe('assertBinding', () => {
  it('should accept types and patterns when they are well formed', () => {
    expect(() => assertBinding('lessor.*.*.created.v1')).not.toThrow();
    expect(() => assertBinding('lessor.#')).not.toThrow();
    expect(() => assertBinding('lessor.sso.login.failed.v1')).not.toThrow();
  });

  it.each([
    '#',
    'other.*.created',
    'lessor.*.User.created.v1',
    'lessor.sso..failed.v1',
    'lessor.sso.login.fail.v1',
  ])('should refuse %s when it is neither a valid type nor a lessor pattern', (binding) => {
    expect(() => assertBinding(binding)).toThrow(EventCatalogError);
  });
});
