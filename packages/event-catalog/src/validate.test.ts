import { describe, expect, expectTypeOf, it } from 'vitest';
import { EventTypes } from './catalog.ts';
import { assertEventData, EventDataError, validateEvent } from './validate.ts';

const USER_ID = '0192e4a0-7c1d-7a3e-8f00-000000000001';
const user = {
  id: USER_ID,
  username: 'ann',
  fullName: 'Ann Example',
  email: 'ann@example.com',
  active: true,
  roles: [{ id: '0192e4a0-7c1d-7a3e-8f00-000000000002', name: 'admin' }],
};

function userCreated(overrides: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: '0192e4a0-7c1d-7a3e-8f00-0000000000aa',
    source: '/lessor/sso',
    type: EventTypes.sso.userCreated,
    subject: USER_ID,
    time: '2025-03-01T10:00:00.000Z',
    datacontenttype: 'application/json',
    actor: USER_ID,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    data: { entityType: 'user', entityId: USER_ID, before: null, after: user, changed: Object.keys(user) },
    ...overrides,
  };
}

describe('validateEvent', () => {
  it('should accept the event and give its definition when envelope and data are valid', () => {
    const result = validateEvent(userCreated());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.type).toBe(EventTypes.sso.userCreated);
    if (result.event.type === EventTypes.sso.userCreated) {
      expectTypeOf(result.event.data.after.username).toEqualTypeOf<string>();
    }
  });

  it('should accept it when the publisher checks too', () => {
    expect(validateEvent(userCreated(), { as: 'publisher' }).ok).toBe(true);
  });

  it('should refuse the event when its type is not in the catalogue', () => {
    const result = validateEvent(userCreated({ type: 'lessor.sso.user.exploded.v1' }));
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.error).toContain('/type is not an event type the catalogue knows');
  });

  it.each([
    ['specversion', { specversion: '0.3' }, '/specversion'],
    ['id', { id: 'not-a-uuid' }, '/id'],
    ['source', { source: '/lessor/billing' }, '/source'],
    ['source format', { source: 'sso' }, '/source'],
    ['time', { time: 'yesterday' }, '/time'],
    ['subject', { subject: '' }, '/subject'],
    ['subject value', { subject: '0192e4a0-7c1d-7a3e-8f00-0000000000ff' }, '/subject'],
    ['datacontenttype', { datacontenttype: 'text/plain' }, '/datacontenttype'],
    ['traceparent', { traceparent: 'abc' }, '/traceparent'],
  ])('should name the pointer when the envelope has a bad %s', (_name, overrides, pointer) => {
    const result = validateEvent(userCreated(overrides));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.pointer)).toContain(pointer);
    expect(result.error).toContain(pointer);
  });

  it('should name the missing attributes when the envelope lacks them', () => {
    const { data: _data, time: _time, ...partial } = userCreated();
    const result = validateEvent(partial);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { pointer: '/time', message: 'is required' },
        { pointer: '/data', message: 'is required' },
      ]),
    );
  });

  it('should refuse it when the envelope is not an object', () => {
    for (const value of [null, 'event', 42, []]) expect(validateEvent(value).ok).toBe(false);
  });

  it('should point into the data when the data does not match its schema', () => {
    const data = {
      entityType: 'user',
      entityId: USER_ID,
      before: null,
      after: { ...user, email: 'nope' },
      changed: [],
    };
    const result = validateEvent(userCreated({ data }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe(
      'invalid lessor.sso.user.created.v1: /data/after/email must be string (email) | null',
    );
  });

  it('should refuse a created event when before is not null', () => {
    const data = { entityType: 'user', entityId: USER_ID, before: user, after: user, changed: [] };
    const result = validateEvent(userCreated({ data }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toEqual({ pointer: '/data/before', message: 'must be null' });
  });

  it('should name only the first few issues when there are many', () => {
    const result = validateEvent({ specversion: '2', id: 1, source: 2, type: 3, subject: 4, time: 5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.length).toBeGreaterThan(3);
    expect(result.error).toMatch(/\(and \d+ more\)$/);
  });

  it('should tolerate unknown data fields when a consumer checks, and refuse them when a publisher does', () => {
    const data = {
      entityType: 'user',
      entityId: USER_ID,
      before: null,
      after: { ...user, passwordHash: '$argon2id$…' },
      changed: [],
    };
    expect(validateEvent(userCreated({ data })).ok).toBe(true);
    const strict = validateEvent(userCreated({ data }), { as: 'publisher' });
    expect(strict.ok).toBe(false);
    if (strict.ok) return;
    expect(strict.issues).toEqual([{ pointer: '/data/after/passwordHash', message: 'is not in the schema' }]);
  });

  it('should check the security events by their own schema when they arrive', () => {
    const locked = {
      ...userCreated(),
      type: EventTypes.sso.loginLocked,
      subject: 'ann',
      data: { username: 'ann', address: '203.0.113.7', retryAfterSeconds: 0 },
    };
    const result = validateEvent(locked);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.pointer).toBe('/data/retryAfterSeconds');
    expect(validateEvent({ ...locked, data: { ...locked.data, retryAfterSeconds: 30 } }).ok).toBe(true);
  });
});

describe('assertEventData', () => {
  it('should pass when the data matches the schema exactly', () => {
    const data: unknown = { userId: USER_ID, by: 'admin' };
    assertEventData(EventTypes.sso.passwordChanged, data);
    expectTypeOf(data).toEqualTypeOf<{ userId: string; by: 'self' | 'admin' }>();
  });

  it('should throw with the pointer when a field is wrong or unknown', () => {
    const attempt = () =>
      assertEventData(EventTypes.sso.passwordChanged, { userId: USER_ID, by: 'root', password: 'x' });
    expect(attempt).toThrow(EventDataError);
    expect(attempt).toThrow(
      "invalid data for lessor.sso.password.changed.v1: /password is not in the schema; /by must be 'self' | 'admin'",
    );
  });

  it('should throw when the type is unknown', () => {
    const type: string = 'lessor.sso.password.forgotten.v1';
    expect(() => assertEventData(type, {})).toThrow(/not an event type the catalogue knows/);
  });
});
