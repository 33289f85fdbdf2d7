/**
 * Event type names: `lessor.<service>.<entity>.<past-tense-verb>.v<major>`, kebab-case words. The type is
 * the RabbitMQ routing key, so its words are the dot-separated words a topic binding matches.
 */
export const EVENT_TYPE_PATTERN = /^lessor\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;

/** A service name as it appears in event types, `source` and queue names: one kebab-case word. */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** The shape TypeScript checks for an event type; the pattern above checks the rest at definition time. */
export type EventTypeName = `lessor.${string}.${string}.${string}.v${number}`;

/** The `<service>` word of an event type, at the type level (`'sso'` for `lessor.sso.user.created.v1`). */
export type PublisherOf<T extends string> = T extends `lessor.${infer Service}.${string}` ? Service : never;

/** An event type split into its words. */
export interface EventTypeParts {
  service: string;
  entity: string;
  verb: string;
  major: number;
}

/** Thrown when an event type, a definition or a consumer declaration breaks the catalogue's rules. */
export class EventCatalogError extends Error {
  override readonly name = 'EventCatalogError';
}

/**
 * Past participles that do not end in `-ed`. A verb word must end in `-ed` or be one of these, so that
 * `user.create` or `user.creation` is refused; add an irregular verb here when an event needs one.
 */
const IRREGULAR_PAST_PARTICIPLES = new Set([
  'begun',
  'bought',
  'built',
  'cut',
  'done',
  'found',
  'given',
  'held',
  'kept',
  'left',
  'lost',
  'made',
  'paid',
  'put',
  'read',
  'rebuilt',
  'repaid',
  'reset',
  'resent',
  'run',
  'sent',
  'set',
  'shown',
  'sold',
  'split',
  'taken',
  'undone',
  'won',
  'written',
]);

/**
 * Splits an event type into its words, refusing one that breaks the naming rule: the pattern, and a verb
 * with at least one past-participle word (`created`, `reuse-detected`, `left-zone`, `paid`).
 */
export function parseEventType(type: string): EventTypeParts {
  if (!EVENT_TYPE_PATTERN.test(type)) {
    throw new EventCatalogError(
      `event type "${type}" must read lessor.<service>.<entity>.<past-tense-verb>.v<major> in kebab-case words`,
    );
  }
  const [, service, entity, verb, version] = type.split('.') as [string, string, string, string, string];
  const isPastTense = verb
    .split('-')
    .some((word) => (word.endsWith('ed') && word.length > 2) || IRREGULAR_PAST_PARTICIPLES.has(word));
  if (!isPastTense) {
    throw new EventCatalogError(
      `event type "${type}": "${verb}" is not in the past tense (an event says what happened: created, paid, left-zone)`,
    );
  }
  return { service, entity, verb, major: Number(version.slice(1)) };
}

/**
 * True when `type` matches a RabbitMQ topic binding `pattern`: words split by dots, `*` stands for exactly one
 * word, `#` for zero or more. An exact type matches only itself. The broker's rules, so the catalogue documents
 * exactly what a consumer's queue receives.
 */
export function matchesBinding(pattern: string, type: string): boolean {
  const words = type.split('.');
  // reachable[j]: the pattern words read so far can match the first j words of the type. A table, so a pattern
  // with several `#` stays linear in pattern × type rather than exponential.
  let reachable: boolean[] = [true, ...words.map(() => false)];
  for (const part of pattern.split('.')) {
    const next = reachable.map(() => false);
    let any = false;
    for (let j = 0; j <= words.length; j += 1) {
      if (part === '#') {
        any = any || reachable[j] === true;
        next[j] = any;
      } else if (j > 0) {
        next[j] = reachable[j - 1] === true && (part === '*' || part === words[j - 1]);
      }
    }
    reachable = next;
  }
  return reachable[words.length] === true;
}

/** True when a binding uses a wildcard (`*` or `#`) rather than naming one type. */
export function isBindingPattern(binding: string): boolean {
  return binding.split('.').some((word) => word === '*' || word === '#');
}

const BINDING_WORD = /^(\*|#|[a-z0-9][a-z0-9-]*)$/;

/** Refuses a binding that is neither an exact event type nor a topic pattern over `lessor.…` types. */
export function assertBinding(binding: string): void {
  const words = binding.split('.');
  const wellFormed = words[0] === 'lessor' && words.every((word) => BINDING_WORD.test(word));
  if (!wellFormed) {
    throw new EventCatalogError(
      `binding "${binding}" must be an event type or a topic pattern over lessor.* words (* = one word, # = any)`,
    );
  }
  if (!isBindingPattern(binding)) parseEventType(binding);
}
