import type { Static, TObject } from 'typebox';
import {
  EventCatalogError,
  parseEventType,
  SERVICE_NAME_PATTERN,
  type EventTypeName,
  type PublisherOf,
} from './event-type.ts';

/**
 * What kind of fact an event records. `change`: a mutation of a business object (the four change events
 * every entity publishes); `security`: a sign-in, a permission change or a key event; `business`: any other
 * fact another service acts on (a contract signed, a payment received). `audit` keeps every `change` and
 * `security` event.
 */
export type EventCategory = 'change' | 'security' | 'business';

/** One event type: the contract between the service that publishes it and every service that consumes it. */
export interface EventDefinition<Type extends string = string, Data extends TObject = TObject> {
  /** `lessor.<service>.<entity>.<past-tense-verb>.v<major>`: the CloudEvents `type` and the routing key. */
  readonly type: Type;
  /** The only service that publishes this type; the envelope's `source` is `/lessor/<publisher>`. */
  readonly publisher: string;
  readonly entity: string;
  readonly verb: string;
  readonly major: number;
  readonly category: EventCategory;
  /** When the event fires and what it means, in a sentence or two. */
  readonly description: string;
  /** The data field whose value is the envelope's `subject`; events of one subject arrive in order. */
  readonly subject: string;
  /** The schema of the envelope's `data` (TypeBox, i.e. JSON Schema). */
  readonly data: Data;
}

/** The type of an event's `data`, from its definition: `EventDataOf<typeof ssoEvents.userCreated>`. */
export type EventDataOf<Definition extends EventDefinition> = Static<Definition['data']>;

/** The properties of `defineEvent`. */
export interface EventSpec<Type extends EventTypeName, Data extends TObject> {
  type: Type;
  /** Must be the `<service>` word of `type`. */
  publisher: PublisherOf<Type>;
  /** When the event fires and what it means; the data fields describe themselves in `data`. */
  description: string;
  data: Data;
  /** A required string field of `data` that the envelope's `subject` repeats (usually the entity's id). */
  subject: keyof Data['properties'] & string;
  /** Defaults to `business`. */
  category?: EventCategory;
}

/**
 * Defines one event type. Checks the name (`lessor.<service>.<entity>.<past-tense-verb>.v<major>`), that the
 * publisher is the name's service, that `data` is an object schema and `subject` one of its required string
 * fields. Returns the definition frozen, schema included, so no consumer can bend the contract at run time.
 */
export function defineEvent<const Type extends EventTypeName, Data extends TObject>(
  spec: EventSpec<Type, Data>,
): EventDefinition<Type, Data> {
  const parts = parseEventType(spec.type);
  const publisher: string = spec.publisher;
  if (!SERVICE_NAME_PATTERN.test(publisher) || parts.service !== publisher) {
    throw new EventCatalogError(
      `event type "${spec.type}" must be published by "${parts.service}", not "${publisher}"`,
    );
  }
  if (spec.description.trim().length === 0) {
    throw new EventCatalogError(
      `event type "${spec.type}" needs a description: when it fires, what it means`,
    );
  }
  const data: unknown = spec.data;
  if (!isObjectSchema(data)) {
    throw new EventCatalogError(`event type "${spec.type}": data must be an object schema (Type.Object)`);
  }
  const subjectSchema = data.properties[spec.subject];
  const subjectRequired = Array.isArray(data.required) && data.required.includes(spec.subject);
  if (!isRecord(subjectSchema) || subjectSchema.type !== 'string' || !subjectRequired) {
    throw new EventCatalogError(
      `event type "${spec.type}": subject "${spec.subject}" must name a required string field of data`,
    );
  }
  deepFreeze(spec.data);
  return Object.freeze({
    type: spec.type,
    publisher,
    entity: parts.entity,
    verb: parts.verb,
    major: parts.major,
    category: spec.category ?? 'business',
    description: spec.description.trim(),
    subject: spec.subject,
    data: spec.data,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObjectSchema(
  value: unknown,
): value is { properties: Record<string, unknown>; required?: unknown } {
  return isRecord(value) && value.type === 'object' && isRecord(value.properties);
}

function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
}
