import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  eventCatalog,
  EventTypes,
  eventsPublishedBy,
  findEventDefinition,
  isEventType,
  type EventDataFor,
} from './catalog.ts';
import { toJsonSchema } from './json-schema.ts';
import { ssoEvents } from './sso.events.ts';

const SSO_TYPES = [
  'lessor.sso.user.created.v1',
  'lessor.sso.user.updated.v1',
  'lessor.sso.user.deleted.v1',
  'lessor.sso.user.restored.v1',
  'lessor.sso.role.created.v1',
  'lessor.sso.role.updated.v1',
  'lessor.sso.role.deleted.v1',
  'lessor.sso.role.restored.v1',
  'lessor.sso.service-client.created.v1',
  'lessor.sso.service-client.updated.v1',
  'lessor.sso.service-client.deleted.v1',
  'lessor.sso.service-client.restored.v1',
  'lessor.sso.role.granted.v1',
  'lessor.sso.role.revoked.v1',
  'lessor.sso.login.succeeded.v1',
  'lessor.sso.login.failed.v1',
  'lessor.sso.login.locked.v1',
  'lessor.sso.login.unlocked.v1',
  'lessor.sso.token.reuse-detected.v1',
  'lessor.sso.password.changed.v1',
  'lessor.sso.signing-key.rotated.v1',
];

/** Every property name anywhere in a JSON schema. */
function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own =
    typeof node.properties === 'object' && node.properties !== null ? Object.keys(node.properties) : [];
  return [...own, ...Object.values(node).flatMap(propertyNames)];
}

describe('the catalogue', () => {
  it('should list every sso event, in catalogue order, when asked for the publisher sso', () => {
    expect(eventsPublishedBy('sso').map((definition) => definition.type)).toEqual(SSO_TYPES);
    expect(eventCatalog.map((definition) => definition.type).slice(0, SSO_TYPES.length)).toEqual(SSO_TYPES);
  });

  it('should hold each publisher’s events only under that publisher when several publish', () => {
    for (const definition of eventCatalog) {
      expect(definition.type.split('.')[1]).toBe(definition.publisher);
    }
    expect(EventTypes.leasing.contractActivated).toBe('lessor.leasing.contract.activated.v1');
  });

  it('should give each type a constant when built from the definitions', () => {
    expect(EventTypes.sso.userCreated).toBe('lessor.sso.user.created.v1');
    expect(EventTypes.sso.tokenReuseDetected).toBe('lessor.sso.token.reuse-detected.v1');
    expect(EventTypes.sso.signingKeyRotated).toBe(ssoEvents.signingKeyRotated.type);
    expect(Object.values(EventTypes.sso)).toEqual(SSO_TYPES);
    expect(Object.isFrozen(EventTypes.sso)).toBe(true);
    expectTypeOf(EventTypes.sso.loginFailed).toEqualTypeOf<'lessor.sso.login.failed.v1'>();
  });

  it('should type the data of a type when given its constant', () => {
    expectTypeOf<EventDataFor<typeof EventTypes.sso.passwordChanged>>().toEqualTypeOf<{
      userId: string;
      by: 'self' | 'admin';
    }>();
    expectTypeOf<EventDataFor<typeof EventTypes.sso.userUpdated>['after']['roles']>().toEqualTypeOf<
      { id: string; name: string }[]
    >();
  });

  it('should find a definition when the type is known, and nothing when it is not', () => {
    expect(findEventDefinition('lessor.sso.login.failed.v1')).toBe(ssoEvents.loginFailed);
    expect(findEventDefinition('lessor.sso.login.failed.v2')).toBeUndefined();
    expect(isEventType('lessor.sso.role.granted.v1')).toBe(true);
    expect(isEventType('lessor.sso.role.granted')).toBe(false);
  });

  it('should carry no secret when any event data is inspected', () => {
    for (const definition of eventCatalog) {
      const names = propertyNames(toJsonSchema(definition.data));
      expect(names.filter((name) => /password|secret|hash|token$|private|credential/i.test(name))).toEqual(
        [],
      );
    }
  });

  it('should classify change events as change and the others as security when sso defines them', () => {
    for (const definition of eventsPublishedBy('sso')) {
      const isChange = /\.(created|updated|deleted|restored)\.v1$/.test(definition.type);
      expect(definition.category).toBe(isChange ? 'change' : 'security');
    }
  });
});
