import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { findEventDefinition, type EventDataFor, type EventType } from './catalog.ts';
import type { EventDefinition } from './define-event.ts';
import { EVENT_TYPE_PATTERN } from './event-type.ts';
import { schemaAt, strictJsonSchema, toJsonSchema, typeLabel, type JsonSchema } from './json-schema.ts';

/**
 * The CloudEvents 1.0 envelope (structured JSON mode) as Lessor sends it, with the two extensions Lessor adds:
 * `traceparent` and `actor`. `data` is checked separately, against the schema of the envelope's `type`.
 */
export const EventEnvelopeSchema = Type.Object({
  specversion: Type.Literal('1.0', { description: 'CloudEvents version.' }),
  id: Type.String({
    format: 'uuid',
    description: 'UUIDv7 made by the publisher; consumers record it in their inbox to apply an event once.',
  }),
  source: Type.String({ pattern: '^/lessor/[a-z][a-z0-9-]*$', description: '`/lessor/<publisher>`.' }),
  type: Type.String({ pattern: EVENT_TYPE_PATTERN.source, description: 'The event type; the routing key.' }),
  subject: Type.String({
    minLength: 1,
    maxLength: 256,
    description: 'What the event is about (see each type); events of one subject are delivered in order.',
  }),
  time: Type.String({ format: 'date-time', description: 'When the change committed (RFC 3339, UTC).' }),
  datacontenttype: Type.Optional(
    Type.Literal('application/json', { description: 'The content type of `data`; JSON when absent.' }),
  ),
  data: Type.Unknown({ description: 'The event data; its schema depends on `type`.' }),
  traceparent: Type.Optional(
    Type.String({
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: 'W3C trace context of the request that caused the event.',
    }),
  ),
  actor: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Who caused it: a user id, `client:<clientId>`, `system`, or `anonymous` (a sign-in attempt).',
    }),
  ),
});

/** An event whose envelope and data the catalogue accepted, typed by its `type`. */
export type LessorEvent<Type extends EventType = EventType> = Type extends EventType
  ? {
      specversion: '1.0';
      id: string;
      source: string;
      type: Type;
      subject: string;
      time: string;
      datacontenttype?: 'application/json';
      data: EventDataFor<Type>;
      traceparent?: string;
      actor?: string;
    }
  : never;

/** One thing wrong with an event: where (a JSON pointer into the envelope, or into the data) and what. */
export interface EventIssue {
  pointer: string;
  message: string;
}

/** The answer of `validateEvent`. */
export type EventValidation =
  | { ok: true; definition: EventDefinition; event: LessorEvent }
  | { ok: false; error: string; issues: EventIssue[] };

/**
 * Who validates. A `publisher` is held to the exact schema (no field the catalogue does not list); a
 * `consumer` tolerates fields it does not know, so a publisher may add an optional field without a new major.
 */
export type ValidationRole = 'publisher' | 'consumer';

/** How many issues an error message names; the rest are counted. */
const ISSUES_IN_MESSAGE = 3;

const envelopeJson = toJsonSchema(EventEnvelopeSchema);
const envelopeValidator = Compile(EventEnvelopeSchema);

interface DataValidators {
  consumer: ReturnType<typeof Compile>;
  publisher: ReturnType<typeof Compile>;
  consumerJson: JsonSchema;
  publisherJson: JsonSchema;
}

// Compiled on first use of each type, then kept: validation runs on every publish and every delivery.
const dataValidators = new Map<string, DataValidators>();

function validatorsFor(definition: EventDefinition): DataValidators {
  let validators = dataValidators.get(definition.type);
  if (!validators) {
    const consumerJson = toJsonSchema(definition.data);
    const publisherJson = strictJsonSchema(consumerJson);
    validators = {
      consumer: Compile(consumerJson as never),
      publisher: Compile(publisherJson as never),
      consumerJson,
      publisherJson,
    };
    dataValidators.set(definition.type, validators);
  }
  return validators;
}

/**
 * Checks an event as it travels: the CloudEvents envelope (specversion 1.0, uuid id, `/lessor/<publisher>`
 * source, a type the catalogue knows, subject, RFC 3339 time, data), then the data against its type's schema,
 * then that `subject` repeats the data field the definition names. Used by the outbox before it stores an event
 * (`{ as: 'publisher' }`) and by the consumer runtime before a handler sees one (the default, `consumer`).
 */
export function validateEvent(envelope: unknown, options: { as?: ValidationRole } = {}): EventValidation {
  const role = options.as ?? 'consumer';
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return failure('event', [{ pointer: '', message: 'must be a JSON object (a CloudEvents envelope)' }]);
  }
  const candidate = envelope as Record<string, unknown>;
  const label = typeof candidate.type === 'string' ? candidate.type : 'event';
  const issues = envelopeValidator.Check(candidate)
    ? []
    : issuesOf(envelopeValidator.Errors(candidate), envelopeJson, '');
  const definition = typeof candidate.type === 'string' ? findEventDefinition(candidate.type) : undefined;
  if (typeof candidate.type === 'string' && EVENT_TYPE_PATTERN.test(candidate.type) && !definition) {
    issues.push({
      pointer: '/type',
      message: `is not an event type the catalogue knows (${candidate.type})`,
    });
  }
  if (definition) {
    const source = `/lessor/${definition.publisher}`;
    if (typeof candidate.source === 'string' && candidate.source !== source) {
      issues.push({
        pointer: '/source',
        message: `must be ${source}: only ${definition.publisher} publishes ${definition.type}`,
      });
    }
    if ('data' in candidate) {
      const dataIssues = dataIssuesOf(definition, candidate.data, role, '/data');
      issues.push(...dataIssues);
      const subject = (candidate.data as Record<string, unknown> | null)?.[definition.subject];
      if (dataIssues.length === 0 && typeof candidate.subject === 'string' && candidate.subject !== subject) {
        issues.push({ pointer: '/subject', message: `must equal data.${definition.subject}` });
      }
    }
  }
  if (issues.length > 0 || !definition) return failure(label, issues);
  return { ok: true, definition, event: candidate as LessorEvent };
}

/** Thrown by `assertEventData`: the type is unknown or the data does not match its schema. */
export class EventDataError extends Error {
  override readonly name = 'EventDataError';
  constructor(
    readonly type: string,
    readonly issues: readonly EventIssue[],
  ) {
    super(`invalid data for ${type}: ${summary(issues)}`);
  }
}

/**
 * For publishers: throws `EventDataError` unless `data` matches the schema of `type` exactly (no field the
 * catalogue does not list). Pointers in the error are relative to the data: `/after/email`. Given a type
 * constant (`EventTypes.sso.userCreated`) it also narrows `data` to that type's data.
 */
export function assertEventData<Type extends EventType>(
  type: Type,
  data: unknown,
): asserts data is EventDataFor<Type>;
export function assertEventData(type: string, data: unknown): void;
export function assertEventData(type: string, data: unknown): void {
  const definition = findEventDefinition(type);
  if (!definition)
    throw new EventDataError(type, [{ pointer: '', message: 'is not an event type the catalogue knows' }]);
  const issues = dataIssuesOf(definition, data, 'publisher', '');
  if (issues.length > 0) throw new EventDataError(type, issues);
}

function dataIssuesOf(
  definition: EventDefinition,
  data: unknown,
  role: ValidationRole,
  prefix: string,
): EventIssue[] {
  const validators = validatorsFor(definition);
  const validator = validators[role];
  if (validator.Check(data)) return [];
  const json = role === 'publisher' ? validators.publisherJson : validators.consumerJson;
  return issuesOf(validator.Errors(data), json, prefix);
}

/**
 * Turns TypeBox's errors into one issue per problem: unknown and missing properties named in the pointer, the
 * branch-by-branch noise of a union replaced by what the union accepts, listed after the precise issues.
 */
function issuesOf(errors: TLocalizedValidationError[], schema: JsonSchema, prefix: string): EventIssue[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  const insideUnion = (error: TLocalizedValidationError) =>
    unions.some(
      (union) =>
        union !== error &&
        union.instancePath === error.instancePath &&
        error.schemaPath.startsWith(`${union.schemaPath}/${union.keyword}/`),
    );
  const precise: EventIssue[] = [];
  const summaries: EventIssue[] = [];
  for (const error of errors) {
    const at = prefix + error.instancePath;
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) continue;
    if (insideUnion(error)) continue;
    if (error.keyword === 'additionalProperties') {
      for (const name of error.params.additionalProperties) {
        precise.push({ pointer: `${at}/${escapePointer(name)}`, message: 'is not in the schema' });
      }
    } else if (error.keyword === 'required') {
      for (const name of (error.params as { requiredProperties: string[] }).requiredProperties) {
        precise.push({ pointer: `${at}/${escapePointer(name)}`, message: 'is required' });
      }
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const union = schemaAt(schema, error.schemaPath);
      summaries.push({ pointer: at, message: union ? `must be ${typeLabel(union)}` : error.message });
    } else {
      precise.push({ pointer: at, message: error.message });
    }
  }
  const seen = new Set<string>();
  return [...precise, ...summaries].filter((issue) => {
    const key = `${issue.pointer} ${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function failure(label: string, issues: EventIssue[]): EventValidation {
  return { ok: false, error: `invalid ${label}: ${summary(issues)}`, issues };
}

function summary(issues: readonly EventIssue[]): string {
  const named = issues.slice(0, ISSUES_IN_MESSAGE).map((issue) => `${issue.pointer || '/'} ${issue.message}`);
  const more = issues.length - named.length;
  return named.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
