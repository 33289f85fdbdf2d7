import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasPermission, InvalidPermissionError, parsePermission } from './permissions.ts';

// Kebab-case words: `contracts`, `payment-schedules`, `v2-export`.
const segment = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,5}$/), { maxLength: 2 }),
  )
  .map(([head, tail]) => [head, ...tail].join('-'));
const permission = fc.tuple(segment, segment, segment).map((parts) => parts.join(':'));

describe('parsePermission', () => {
  it('should split the segments when the permission is valid', () => {
    expect(parsePermission('leasing:payment-schedules:write')).toEqual({
      service: 'leasing',
      resource: 'payment-schedules',
      action: 'write',
    });
  });

  it.each([
    '',
    'leasing',
    'leasing:contracts',
    'leasing:contracts:write:all',
    'Leasing:contracts:write',
    'leasing:payment_schedules:write',
    'leasing:-contracts:write',
    'leasing:contracts-:write',
    'leasing:con--tracts:write',
    'leasing::write',
    '1leasing:contracts:write',
    'leasing:contracts:write ',
    'leasing:contract*:write',
  ])('should throw when the permission is %j', (value) => {
    expect(() => parsePermission(value, { allowWildcards: true })).toThrow(InvalidPermissionError);
  });

  it('should throw when a wildcard is used without allowWildcards', () => {
    expect(() => parsePermission('sso:*:read')).toThrow(InvalidPermissionError);
    expect(parsePermission('sso:*:read', { allowWildcards: true })).toEqual({
      service: 'sso',
      resource: '*',
      action: 'read',
    });
  });
});

describe('hasPermission', () => {
  it('should match when a granted permission equals the required one', () => {
    expect(
      hasPermission(['leasing:contracts:read', 'leasing:contracts:write'], 'leasing:contracts:write'),
    ).toBe(true);
  });

  it('should not match when only another action is granted', () => {
    expect(hasPermission(['leasing:contracts:read'], 'leasing:contracts:write')).toBe(false);
  });

  it('should match when a granted wildcard covers the segment', () => {
    expect(hasPermission(['sso:*:read'], 'sso:users:read')).toBe(true);
    expect(hasPermission(['sso:users:*'], 'sso:users:delete')).toBe(true);
    expect(hasPermission(['sso:*:read'], 'sso:users:write')).toBe(false);
    expect(hasPermission(['*:*:*'], 'finance:periods:close')).toBe(true);
  });

  it('should not match when nothing is granted', () => {
    expect(hasPermission([], 'leasing:contracts:read')).toBe(false);
  });

  it('should ignore a malformed grant when the token carries one', () => {
    expect(hasPermission(['*', 'leasing:*', 'LEASING:contracts:read'], 'leasing:contracts:read')).toBe(false);
  });

  it.each(['sso:*:read', '*:*:*', 'not a permission'])(
    'should throw when the required permission is %j',
    (required) => {
      expect(() => hasPermission(['*:*:*'], required)).toThrow(InvalidPermissionError);
    },
  );

  it('should always match a granted permission against itself', () => {
    fc.assert(fc.property(permission, (p) => hasPermission([p], p)));
  });

  it('should match every valid permission when *:*:* is granted', () => {
    fc.assert(fc.property(permission, (p) => hasPermission(['*:*:*'], p)));
  });

  it('should never match another service when the grants are for one service, wildcards included', () => {
    const segmentOrWildcard = fc.oneof(segment, fc.constant('*'));
    fc.assert(
      fc.property(
        segment,
        fc.array(fc.tuple(segmentOrWildcard, segmentOrWildcard)),
        permission,
        (service, tails, required) => {
          fc.pre(parsePermission(required).service !== service);
          const grants = tails.map(([resource, action]) => `${service}:${resource}:${action}`);
          return !hasPermission(grants, required);
        },
      ),
    );
  });
});
