/**
 * `@lessor/event-catalog`: the schema of every event type, versioned — the contract between services.
 * Publishers check data before it enters their outbox, consumers check events before a handler sees them,
 * and the docs (docs/events.md) and each service's AsyncAPI document are generated from the same definitions.
 */
export {
  assertBinding,
  EVENT_TYPE_PATTERN,
  EventCatalogError,
  isBindingPattern,
  matchesBinding,
  parseEventType,
  SERVICE_NAME_PATTERN,
  type EventTypeName,
  type EventTypeParts,
  type PublisherOf,
} from './event-type.ts';
export {
  defineEvent,
  type EventCategory,
  type EventDataOf,
  type EventDefinition,
  type EventSpec,
} from './define-event.ts';
export {
  CHANGE_VERBS,
  changedFields,
  defineChangeEvents,
  type ChangeDataSchema,
  type ChangeEventData,
  type ChangeEvents,
  type ChangeEventsSpec,
  type ChangeVerb,
} from './change-events.ts';
export { RoleSnapshot, ServiceClientSnapshot, ssoEvents, UserSnapshot } from './sso.events.ts';
export { CalculationSnapshot, ContractSnapshot, leasingEvents, ProductSnapshot } from './leasing.events.ts';
export { partiesEvents, PartySnapshot } from './parties.events.ts';
export { AssetSnapshot, assetsEvents, InsurancePolicySnapshot, SupplierSnapshot } from './assets.events.ts';
export { billingEvents } from './billing.events.ts';
export { AccountSnapshot, financeEvents, PostingRuleSnapshot } from './finance.events.ts';
export { integrationEvents } from './integration.events.ts';
export {
  BusinessDate,
  CurrencyCode,
  DecimalString,
  InstallmentSnapshot,
  Money,
  ScheduleSnapshot,
} from './money.ts';
export {
  eventCatalog,
  eventsPublishedBy,
  EventTypes,
  findEventDefinition,
  isEventType,
  publishers,
  type CatalogDefinition,
  type EventDataFor,
  type EventType,
} from './catalog.ts';
export {
  consumersOf,
  consumingServices,
  declareConsumer,
  eventConsumers,
  eventsConsumedBy,
  typesConsumedBy,
  type ConsumerDeclaration,
} from './consumers.ts';
export {
  assertEventData,
  EventDataError,
  EventEnvelopeSchema,
  validateEvent,
  type EventIssue,
  type EventValidation,
  type LessorEvent,
  type ValidationRole,
} from './validate.ts';
export { strictJsonSchema, toJsonSchema, typeLabel, type JsonSchema } from './json-schema.ts';
export { eventFields, renderEventDocs, type EventField } from './docs.ts';
export {
  asyncApiFor,
  EVENT_CONTENT_TYPE,
  EVENTS_EXCHANGE,
  type AsyncApiChannel,
  type AsyncApiDocument,
  type AsyncApiMessage,
  type AsyncApiOperation,
} from './asyncapi.ts';
export { oneOfLiterals } from './literals.ts';
