import { eventCatalog, findEventDefinition } from './catalog.ts';
import { declaredConsumers } from './consumers.generated.ts';
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
 * Who reads what: one declaration per consuming service, generated from the services' definitions (each says
 * what it consumes and why in its `<service>.service.ts`; `npm run events:docs` writes consumers.generated.ts,
 * CI checks it). Checked here as the catalogue loads: an exact type nobody defines fails the start.
 */
export const eventConsumers: readonly ConsumerDeclaration[] = Object.freeze(
  declaredConsumers.map((declaration) => declareConsumer(declaration)),
);

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
