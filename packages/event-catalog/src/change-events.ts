import { Type, type TNull, type TObject, type TSchema } from 'typebox';
import { defineEvent, type EventDefinition } from './define-event.ts';
import { EventCatalogError } from './event-type.ts';

/** The four things that happen to a business object; soft delete makes `restored` possible. */
export const CHANGE_VERBS = ['created', 'updated', 'deleted', 'restored'] as const;
export type ChangeVerb = (typeof CHANGE_VERBS)[number];

/**
 * The `data` of every change event, whatever the entity: what a generic consumer such as `audit` reads.
 * `before` and `after` are snapshots of the entity (never secrets); `changed` names the top-level snapshot
 * fields whose values differ between them.
 */
export interface ChangeEventData<Snapshot = Record<string, unknown>> {
  entityType: string;
  entityId: string;
  before: Snapshot | null;
  after: Snapshot | null;
  changed: string[];
}

/**
 * Field names a snapshot may never carry: events are kept for years by `audit` and read by every consumer,
 * so a secret (or a hash of one, which can be attacked offline) must stay in its owner's database.
 */
const SECRET_FIELD = /password|secret|hash|private-?key|credential/i;

function changeDataSchema<const Entity extends string, Before extends TSchema, After extends TSchema>(
  entity: Entity,
  before: Before,
  after: After,
  changed: string,
) {
  return Type.Object({
    entityType: Type.Literal(entity, { description: 'The kind of entity that changed.' }),
    entityId: Type.String({ format: 'uuid', description: 'The id of the entity (also the subject).' }),
    before,
    after,
    changed: Type.Array(Type.String(), { uniqueItems: true, description: changed }),
  });
}

/** The schema of a change event's data, at the type level. */
export type ChangeDataSchema<
  Entity extends string,
  Before extends TSchema,
  After extends TSchema,
> = ReturnType<typeof changeDataSchema<Entity, Before, After>>;

/** The four definitions `defineChangeEvents` returns. */
export interface ChangeEvents<Publisher extends string, Entity extends string, Snapshot extends TObject> {
  created: EventDefinition<
    `lessor.${Publisher}.${Entity}.created.v1`,
    ChangeDataSchema<Entity, TNull, Snapshot>
  >;
  updated: EventDefinition<
    `lessor.${Publisher}.${Entity}.updated.v1`,
    ChangeDataSchema<Entity, Snapshot, Snapshot>
  >;
  deleted: EventDefinition<
    `lessor.${Publisher}.${Entity}.deleted.v1`,
    ChangeDataSchema<Entity, Snapshot, Snapshot>
  >;
  restored: EventDefinition<
    `lessor.${Publisher}.${Entity}.restored.v1`,
    ChangeDataSchema<Entity, Snapshot, Snapshot>
  >;
}

/** The properties of `defineChangeEvents`. */
export interface ChangeEventsSpec<Publisher extends string, Entity extends string, Snapshot extends TObject> {
  publisher: Publisher;
  /** Kebab-case, singular: `user`, `service-client`. */
  entity: Entity;
  /** What a consumer may know of one entity. Never a secret nor a hash of one: `defineChangeEvents` refuses those names. */
  snapshot: Snapshot;
  /** What the entity is, in a sentence; each event's description is built around it. */
  description: string;
}

/**
 * Defines the four change events of an entity — `<entity>.created|updated|deleted|restored.v1` — that every
 * mutation publishes in the transaction that makes it and `audit` keeps. Created carries `before: null` and the
 * new snapshot; updated, deleted and restored carry both snapshots (deletion is soft: the row stays).
 */
export function defineChangeEvents<
  const Publisher extends string,
  const Entity extends string,
  Snapshot extends TObject,
>(spec: ChangeEventsSpec<Publisher, Entity, Snapshot>): ChangeEvents<Publisher, Entity, Snapshot> {
  const secrets = secretFieldsOf(spec.snapshot);
  if (secrets.length > 0) {
    throw new EventCatalogError(
      `the ${spec.entity} snapshot must not carry secrets or their hashes: ${secrets.join(', ')}`,
    );
  }
  const what = spec.entity.replaceAll('-', ' ');
  const about = spec.description.trim();
  const snapshot = (description: string) => described(spec.snapshot, description);
  const define = (verb: ChangeVerb, data: TObject, description: string) =>
    defineEvent({
      type: `lessor.${spec.publisher}.${spec.entity}.${verb}.v1`,
      publisher: spec.publisher as never,
      category: 'change',
      subject: 'entityId' as never,
      description: `${description} ${about}`,
      data,
    });

  return Object.freeze({
    created: define(
      'created',
      changeDataSchema(
        spec.entity,
        Type.Null({ description: 'Always null: nothing existed before.' }),
        snapshot(`The ${what} as created.`),
        'Every field of `after`.',
      ),
      `Fires when a ${what} is created, in the transaction that creates it.`,
    ),
    updated: define(
      'updated',
      changeDataSchema(
        spec.entity,
        snapshot(`The ${what} before the change.`),
        snapshot(`The ${what} after the change.`),
        'The fields whose values differ between `before` and `after`.',
      ),
      `Fires when a ${what} is changed, in the transaction that changes it.`,
    ),
    deleted: define(
      'deleted',
      changeDataSchema(
        spec.entity,
        snapshot(`The ${what} before it was deleted.`),
        snapshot(`The ${what} as deleted (soft delete: it can be restored).`),
        'Fields the deletion changed besides the deletion itself; usually empty.',
      ),
      `Fires when a ${what} is deleted (soft delete), in the transaction that deletes it.`,
    ),
    restored: define(
      'restored',
      changeDataSchema(
        spec.entity,
        snapshot(`The ${what} while it was deleted.`),
        snapshot(`The ${what} as restored.`),
        'Fields the restore changed besides the restore itself; usually empty.',
      ),
      `Fires when a deleted ${what} is restored, in the transaction that restores it.`,
    ),
  }) as unknown as ChangeEvents<Publisher, Entity, Snapshot>;
}

/**
 * The top-level fields of two snapshots whose values differ (deep comparison of JSON values): what publishers
 * put in `changed`. With `before` null (created) every field of `after`.
 */
export function changedFields(before: object | null, after: object | null): string[] {
  if (before === null || after === null) return Object.keys(after ?? before ?? {});
  const left = before as Record<string, unknown>;
  const right = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(right), ...Object.keys(left)]);
  return [...keys].filter((key) => !sameJson(left[key], right[key]));
}

function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => sameJson(item, right[index]));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = new Set([...Object.keys(leftRecord), ...Object.keys(rightRecord)]);
  return [...keys].every((key) => sameJson(leftRecord[key], rightRecord[key]));
}

/** A copy of a schema with its own description; keeps TypeBox's hidden markers (optional, kind). */
function described<Schema extends TSchema>(schema: Schema, description: string): Schema {
  const descriptors = Object.getOwnPropertyDescriptors(schema);
  for (const descriptor of Object.values(descriptors)) {
    descriptor.configurable = true;
    if ('value' in descriptor) descriptor.writable = true;
  }
  const copy = Object.defineProperties({}, descriptors) as Schema;
  Object.defineProperty(copy, 'description', { value: description, enumerable: true, writable: true });
  return copy;
}

function secretFieldsOf(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const found: string[] = [];
  if (typeof node.properties === 'object' && node.properties !== null) {
    for (const [name, property] of Object.entries(node.properties)) {
      const at = path ? `${path}.${name}` : name;
      if (SECRET_FIELD.test(name)) found.push(at);
      found.push(...secretFieldsOf(property, at));
    }
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf'] as const) {
    const child = node[key];
    for (const part of Array.isArray(child) ? child : [child]) found.push(...secretFieldsOf(part, path));
  }
  return found;
}
