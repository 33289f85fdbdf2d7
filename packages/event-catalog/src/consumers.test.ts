import { describe, expect, it } from 'vitest';
import { eventCatalog, EventTypes } from './catalog.ts';
import { consumersOf, declareConsumer, eventsConsumedBy, typesConsumedBy } from './consumers.ts';
import { EventCatalogError, matchesBinding } from './event-type.ts';

describe('the consumer registry', () => {
  it('should record audit as consuming every catalogued event when each is a change, security or business fact', () => {
    const audited = eventsConsumedBy('audit').map((definition) => definition.type);
    expect(audited).toEqual(eventCatalog.map((definition) => definition.type));
    expect(audited).toContain(EventTypes.leasing.contractActivated);
    expect(audited).toContain(EventTypes.sso.loginFailed);
    expect(audited).toContain(EventTypes.sso.serviceClientRestored);
  });

  it('should give audit bindings that route every audited type when its queue is bound with them', () => {
    const bindings = typesConsumedBy('audit');
    expect(bindings).toContain('lessor.*.*.created.v1');
    for (const definition of eventsConsumedBy('audit')) {
      expect(bindings.some((binding) => matchesBinding(binding, definition.type))).toBe(true);
    }
  });

  it('should name the consumers of a type with the binding that matches', () => {
    expect(consumersOf(EventTypes.sso.roleUpdated)).toEqual([
      { service: 'audit', binding: 'lessor.*.*.updated.v1' },
    ]);
    expect(consumersOf('lessor.nobody.thing.happened.v1')).toEqual([]);
  });

  it('should answer nothing when a service consumes nothing', () => {
    expect(typesConsumedBy('sso')).toEqual([]);
    expect(eventsConsumedBy('sso')).toEqual([]);
  });
});

describe('declareConsumer', () => {
  it('should keep the bindings once each when they repeat', () => {
    const declaration = declareConsumer({
      service: 'analytics',
      purpose: 'Read models.',
      types: ['lessor.sso.#', 'lessor.sso.#', EventTypes.sso.loginFailed],
    });
    expect(declaration.types).toEqual(['lessor.sso.#', EventTypes.sso.loginFailed]);
    expect(Object.isFrozen(declaration)).toBe(true);
  });

  it('should refuse an exact type when the catalogue does not define it', () => {
    expect(() =>
      declareConsumer({ service: 'analytics', purpose: 'x', types: ['lessor.sso.user.archived.v1'] }),
    ).toThrow(/does not define/);
  });

  it.each([[['sso.user.created']], [['lessor.*.User.created.v1']], [[]]])(
    'should refuse the declaration when the bindings are %j',
    (types) => {
      expect(() => declareConsumer({ service: 'analytics', purpose: 'x', types })).toThrow(EventCatalogError);
    },
  );

  it('should refuse the declaration when the service name is not one', () => {
    expect(() => declareConsumer({ service: 'Audit Service', purpose: 'x', types: ['lessor.#'] })).toThrow(
      /not a service name/,
    );
  });
});
