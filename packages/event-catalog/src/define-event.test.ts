import { Type } from 'typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { changedFields, defineChangeEvents } from './change-events.ts';
import { defineEvent, type EventDataOf } from './define-event.ts';
import { EventCatalogError } from './event-type.ts';

const Payment = Type.Object({ paymentId: Type.String({ format: 'uuid' }), amount: Type.String() });

describe('defineEvent', () => {
  it('should return a frozen definition with its parts when the spec is valid', () => {
    const definition = defineEvent({
      type: 'lessor.billing.payment.received.v2',
      publisher: 'billing',
      description: 'Fires when a payment is matched to a customer.',
      subject: 'paymentId',
      data: Payment,
    });
    expect(definition).toMatchObject({
      type: 'lessor.billing.payment.received.v2',
      publisher: 'billing',
      entity: 'payment',
      verb: 'received',
      major: 2,
      category: 'business',
      subject: 'paymentId',
    });
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen(definition.data.properties.amount)).toBe(true);
    expectTypeOf(definition.type).toEqualTypeOf<'lessor.billing.payment.received.v2'>();
    expectTypeOf<EventDataOf<typeof definition>>().toEqualTypeOf<{ paymentId: string; amount: string }>();
  });

  it('should refuse the definition when the publisher is not the service in the type', () => {
    expect(() =>
      defineEvent({
        type: 'lessor.billing.payment.received.v1',
        // @ts-expect-error the publisher must be the type's service, at compile time too
        publisher: 'finance',
        description: 'Fires when a payment is received.',
        subject: 'paymentId',
        data: Payment,
      }),
    ).toThrow(/must be published by "billing"/);
  });

  it('should refuse the definition when the type breaks the naming rule', () => {
    expect(() =>
      defineEvent({
        type: 'lessor.billing.payment.receive.v1',
        publisher: 'billing',
        description: 'Fires when a payment is received.',
        subject: 'paymentId',
        data: Payment,
      }),
    ).toThrow(EventCatalogError);
  });

  it('should refuse the definition when the description is empty', () => {
    expect(() =>
      defineEvent({
        type: 'lessor.billing.payment.received.v1',
        publisher: 'billing',
        description: '  ',
        subject: 'paymentId',
        data: Payment,
      }),
    ).toThrow(/description/);
  });

  it('should refuse the definition when the subject is not a required string field', () => {
    const data = Type.Object({ paymentId: Type.Optional(Type.String()), count: Type.Integer() });
    for (const subject of ['paymentId', 'count'] as const) {
      expect(() =>
        defineEvent({
          type: 'lessor.billing.payment.received.v1',
          publisher: 'billing',
          description: 'Fires when a payment is received.',
          subject,
          data,
        }),
      ).toThrow(/subject/);
    }
  });
});

const Contract = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.String() });

describe('defineChangeEvents', () => {
  const events = defineChangeEvents({
    publisher: 'leasing',
    entity: 'contract',
    snapshot: Contract,
    description: 'A lease contract.',
  });

  it('should define the four change events of the entity when given a snapshot', () => {
    expect([events.created.type, events.updated.type, events.deleted.type, events.restored.type]).toEqual([
      'lessor.leasing.contract.created.v1',
      'lessor.leasing.contract.updated.v1',
      'lessor.leasing.contract.deleted.v1',
      'lessor.leasing.contract.restored.v1',
    ]);
    for (const definition of Object.values(events)) {
      expect(definition.category).toBe('change');
      expect(definition.subject).toBe('entityId');
      expect(definition.description).toContain('A lease contract.');
      expect(definition.data.required).toEqual(['entityType', 'entityId', 'before', 'after', 'changed']);
    }
    expectTypeOf(events.updated.type).toEqualTypeOf<'lessor.leasing.contract.updated.v1'>();
  });

  it('should make before null when the event is created, and both snapshots present otherwise', () => {
    expect(events.created.data.properties.before.type).toBe('null');
    expect(events.created.data.properties.after.properties).toEqual(Contract.properties);
    for (const definition of [events.updated, events.deleted, events.restored]) {
      expect(definition.data.properties.before.type).toBe('object');
      expect(definition.data.properties.after.type).toBe('object');
    }
    expectTypeOf<EventDataOf<typeof events.created>['before']>().toEqualTypeOf<null>();
    expectTypeOf<EventDataOf<typeof events.deleted>['after']>().toEqualTypeOf<{
      id: string;
      number: string;
    }>();
  });

  it.each(['passwordHash', 'clientSecret', 'secretHash', 'privateKey'])(
    'should refuse the snapshot when it has a field named %s',
    (name) => {
      const snapshot = Type.Object({ id: Type.String(), nested: Type.Object({ [name]: Type.String() }) });
      expect(() =>
        defineChangeEvents({ publisher: 'sso', entity: 'thing', snapshot, description: 'A thing.' }),
      ).toThrow(/must not carry secrets/);
    },
  );
});

describe('changedFields', () => {
  it('should list every field of after when before is null', () => {
    expect(changedFields(null, { id: '1', name: 'a' })).toEqual(['id', 'name']);
  });

  it('should list the fields whose JSON differs when both snapshots are present', () => {
    const before = { id: '1', name: 'a', roles: [{ id: 'r', name: 'x' }], email: null };
    const after = {
      id: '1',
      name: 'a',
      roles: [
        { name: 'x', id: 'r' },
        { id: 's', name: 'y' },
      ],
      email: 'e@x.io',
    };
    expect(changedFields(before, after)).toEqual(['roles', 'email']);
    expect(changedFields(before, structuredClone(before))).toEqual([]);
  });
});
