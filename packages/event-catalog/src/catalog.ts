import type { Static } from 'typebox';
import type { EventDefinition } from './define-event.ts';
import { EventCatalogError } from './event-type.ts';
import { assetsEvents } from './assets.events.ts';
import { billingEvents } from './billing.events.ts';
import { financeEvents } from './finance.events.ts';
import { leasingEvents } from './leasing.events.ts';
import { partiesEvents } from './parties.events.ts';
import { ssoEvents } from './sso.events.ts';
import { integrationEvents } from './integration.events.ts';

/**
 * Every service's events, by publisher. Adding a service's events is one line here (and its
 * `<service>.events.ts` file); the type constants, docs and AsyncAPI documents follow from it.
 */
const eventsByPublisher = {
  sso: ssoEvents,
  leasing: leasingEvents,
  billing: billingEvents,
  finance: financeEvents,
  parties: partiesEvents,
  assets: assetsEvents,
  integration: integrationEvents,
} as const;

type EventsByPublisher = typeof eventsByPublisher;
type ValueOf<T> = T[keyof T];

/** Any definition in the catalogue, with its literal type and its data schema. */
export type CatalogDefinition = {
  [Publisher in keyof EventsByPublisher]: ValueOf<EventsByPublisher[Publisher]>;
}[keyof EventsByPublisher];

/** Every event type in the catalogue, as a union of string literals. */
export type EventType = CatalogDefinition['type'];

/** The `data` of an event type: `EventDataFor<typeof EventTypes.sso.userCreated>`. */
export type EventDataFor<Type extends EventType> = Static<Extract<CatalogDefinition, { type: Type }>['data']>;

/**
 * The event type names, built from the definitions — so no code spells a type string by hand:
 * `EventTypes.sso.userCreated === 'lessor.sso.user.created.v1'`.
 */
export const EventTypes = Object.freeze(
  Object.fromEntries(
    Object.entries(eventsByPublisher).map(([publisher, events]) => [
      publisher,
      Object.freeze(
        Object.fromEntries(Object.entries(events).map(([name, definition]) => [name, definition.type])),
      ),
    ]),
  ),
) as EventTypeConstants;

type EventTypeConstants = {
  readonly [P in keyof EventsByPublisher]: {
    readonly [N in keyof EventsByPublisher[P]]: EventsByPublisher[P][N] extends { type: infer T } ? T : never;
  };
};

/** Every definition, grouped by publisher in catalogue order. */
export const eventCatalog: readonly CatalogDefinition[] = Object.freeze(
  Object.values(eventsByPublisher).flatMap((events) => Object.values(events) as CatalogDefinition[]),
);

const byType = new Map<string, EventDefinition>();
for (const [publisher, events] of Object.entries(eventsByPublisher)) {
  for (const definition of Object.values(events) as EventDefinition[]) {
    if (definition.publisher !== publisher) {
      throw new EventCatalogError(
        `${definition.type} is listed under ${publisher}, but ${definition.publisher} publishes it`,
      );
    }
    if (byType.has(definition.type)) throw new EventCatalogError(`${definition.type} is defined twice`);
    byType.set(definition.type, definition);
  }
}

/** The definition of an event type; undefined for a type the catalogue does not know. */
export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** True when `type` is in the catalogue; narrows it to `EventType`. */
export function isEventType(type: string): type is EventType {
  return byType.has(type);
}

/** The services that publish events, in catalogue order. */
export function publishers(): string[] {
  return Object.keys(eventsByPublisher);
}

/** The definitions a service publishes (none for a service that publishes nothing). */
export function eventsPublishedBy(service: string): EventDefinition[] {
  return eventCatalog.filter((definition) => definition.publisher === service);
}
