import { eventCatalog, findEventDefinition } from './catalog.ts';
import type { EventDefinition } from './define-event.ts';
import {
  assertBinding,
  EventCatalogError,
  isBindingPattern,
  matchesBinding,
  SERVICE_NAME_PATTERN,
} from './event-type.ts';

/** A service's subscription: the bindings of its queue (`lessor.<service>`) on the `lessor.events` exchange. */
export interface ConsumerDeclaration {
  readonly service: string;
  /**
   * Exact event types or RabbitMQ topic patterns (`*` = one word, `#` = zero or more): the binding keys the
   * service's queue is bound with, e.g. `lessor.*.*.created.v1`.
   */
  readonly types: readonly string[];
  /** Why the service reads these events, for the docs. */
  readonly purpose: string;
}

/**
 * Declares what a service consumes. Exact types must be in the catalogue (a typo would bind a queue that never
 * receives anything); patterns must be well-formed topic bindings over `lessor.…` types.
 */
export function declareConsumer(declaration: {
  service: string;
  types: readonly string[];
  purpose: string;
}): ConsumerDeclaration {
  if (!SERVICE_NAME_PATTERN.test(declaration.service)) {
    throw new EventCatalogError(`consumer "${declaration.service}" is not a service name`);
  }
  if (declaration.types.length === 0) {
    throw new EventCatalogError(`consumer ${declaration.service} declares no event types`);
  }
  for (const binding of declaration.types) {
    assertBinding(binding);
    if (!isBindingPattern(binding) && !findEventDefinition(binding)) {
      throw new EventCatalogError(
        `consumer ${declaration.service} reads ${binding}, which the catalogue does not define`,
      );
    }
  }
  return Object.freeze({
    service: declaration.service,
    types: Object.freeze([...new Set(declaration.types)]),
    purpose: declaration.purpose,
  });
}

/**
 * Who reads what. One declaration per consuming service; add a binding here when a service starts reading an
 * event, so the docs and AsyncAPI documents say who depends on it before anyone changes it.
 */
export const eventConsumers: readonly ConsumerDeclaration[] = Object.freeze([
  declareConsumer({
    service: 'audit',
    purpose:
      'Keeps the append-only record of every change, status transition and security event (ARCHITECTURE.md: ' +
      'every mutation and every login, failure and permission change is an audit event).',
    types: [
      'lessor.*.*.created.v1',
      'lessor.*.*.updated.v1',
      'lessor.*.*.deleted.v1',
      'lessor.*.*.restored.v1',
      // Security events and business facts (a contract signed, a payment received) by category, so a new one
      // is kept without touching this line.
      ...eventCatalog
        .filter((definition) => definition.category === 'security' || definition.category === 'business')
        .map((definition) => definition.type),
    ],
  }),
  declareConsumer({
    service: 'assets',
    purpose:
      'Moves the leased asset through its statuses as its contract goes: reserved on signing, leased on ' +
      'activation, returned on termination or a close without buyout, sold on a close with buyout.',
    types: [
      'lessor.leasing.contract.signed.v1',
      'lessor.leasing.contract.activated.v1',
      'lessor.leasing.contract.closed.v1',
      'lessor.leasing.contract.terminated.v1',
    ],
  }),
  declareConsumer({
    service: 'leasing',
    purpose:
      'Keeps the party and asset names stored on contracts current (its reference cache), so a contract list ' +
      'and a read while parties or assets is down show the latest known name.',
    types: ['lessor.parties.party.updated.v1', 'lessor.assets.asset.updated.v1'],
  }),
  declareConsumer({
    service: 'billing',
    purpose:
      'Plans a contract’s invoices from its schedule on activation (advance and installments), replaces the ' +
      'planned ones on restructuring (crediting and invoicing again those issued at other amounts when it is ' +
      'dated in the past), invoices the settlement on termination and the residual on a buyout; ' +
      'learns each contract’s payment reference to match bank payments.',
    types: [
      'lessor.leasing.contract.activated.v1',
      'lessor.leasing.contract.restructured.v1',
      'lessor.leasing.contract.terminated.v1',
      'lessor.leasing.contract.closed.v1',
    ],
  }),
  declareConsumer({
    service: 'finance',
    purpose:
      'Posts every money fact into the ledger by its posting rules (exactly once per event id): the net ' +
      'investment of an activated lease, invoices, payments and their allocation, penalties; keeps the schedule ' +
      'to recognise finance income, and settles it on termination or restructuring; on a close without buyout ' +
      'moves the residual value from the lease receivable to the returned asset.',
    types: [
      'lessor.leasing.contract.activated.v1',
      'lessor.leasing.contract.restructured.v1',
      'lessor.leasing.contract.terminated.v1',
      'lessor.leasing.contract.closed.v1',
      'lessor.billing.invoice.issued.v1',
      'lessor.billing.payment.received.v1',
      'lessor.billing.payment.matched.v1',
      'lessor.billing.payment.allocated.v1',
      'lessor.billing.penalty.charged.v1',
      'lessor.billing.credit-note.issued.v1',
    ],
  }),
]);

/** The services whose bindings match an event type, each with the first binding that matches. */
export function consumersOf(type: string): { service: string; binding: string }[] {
  return eventConsumers.flatMap((consumer) => {
    const binding = consumer.types.find((candidate) => matchesBinding(candidate, type));
    return binding === undefined ? [] : [{ service: consumer.service, binding }];
  });
}

/** The catalogue definitions a service receives through its bindings, in catalogue order. */
export function eventsConsumedBy(service: string): EventDefinition[] {
  const bindings = eventConsumers.filter((consumer) => consumer.service === service).flatMap((c) => c.types);
  return eventCatalog.filter((definition) =>
    bindings.some((binding) => matchesBinding(binding, definition.type)),
  );
}

/**
 * The exact types and patterns a service's queue is bound with: what its consumer subscribes to
 * (`typesConsumedBy('audit')`). Empty for a service that consumes nothing.
 */
export function typesConsumedBy(service: string): string[] {
  return eventConsumers
    .filter((consumer) => consumer.service === service)
    .flatMap((consumer) => [...consumer.types]);
}

/** The services that consume events (each has one queue), in declaration order. */
export function consumingServices(): string[] {
  return [...new Set(eventConsumers.map((consumer) => consumer.service))];
}
