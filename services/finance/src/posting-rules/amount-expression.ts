import { isPlainDecimal } from '@lessor/domain-values';
import { Decimal } from '../money.ts';

/** One step of a data path: a property name or an array index (`installments[0].interest`). */
export type PathSegment = string | number;

/** One term of an amount expression, with its sign. */
export type AmountTerm =
  | { sign: 1 | -1; kind: 'literal'; value: string }
  | { sign: 1 | -1; kind: 'path'; path: string; segments: PathSegment[] }
  | { sign: 1 | -1; kind: 'derived'; name: string };

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const IDENTIFIER = /^[A-Za-z_]\w*/;
const INDEX = /^\[\d{1,4}\]/;
const DIGITS = /^\d+/;

/** The longest data path at the start of `text` (`amounts.total`, `installments[0].interest`), or undefined. */
function leadingPath(text: string): string | undefined {
  let length = IDENTIFIER.exec(text)?.[0].length;
  if (length === undefined) return undefined;
  for (;;) {
    const rest = text.slice(length);
    const step = rest.startsWith('.')
      ? IDENTIFIER.exec(rest.slice(1))?.[0].length
      : INDEX.exec(rest)?.[0].length;
    if (step === undefined) return text.slice(0, length);
    length += rest.startsWith('.') ? step + 1 : step;
  }
}

/** The decimal literal at the start of `text` (`12`, `0.50`), or undefined. */
function leadingLiteral(text: string): string | undefined {
  const whole = DIGITS.exec(text)?.[0];
  if (whole === undefined) return undefined;
  const fraction = text[whole.length] === '.' ? DIGITS.exec(text.slice(whole.length + 1))?.[0] : undefined;
  return fraction === undefined ? whole : `${whole}.${fraction}`;
}

// Every event's facts and description parse the same few paths again: each text is parsed once (a bounded
// cache, as rule validation parses whatever paths a caller sends).
const parsedPaths = new Map<string, PathSegment[]>();
const PARSED_PATHS_KEPT = 1000;

/** Parses a data path (`amounts.total`, `schedule.installments[0].interest`) into its segments (frozen, shared). */
export function parsePath(text: string): PathSegment[] {
  const known = parsedPaths.get(text);
  if (known) return known;
  if (leadingPath(text) !== text) throw new ExpressionError(`"${text}" is not a data path`);
  const segments = Object.freeze(
    [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((part) =>
      part[1] !== undefined ? part[1] : Number(part[2]),
    ),
  ) as PathSegment[];
  if (parsedPaths.size >= PARSED_PATHS_KEPT) parsedPaths.clear();
  parsedPaths.set(text, segments);
  return segments;
}

/**
 * Parses an amount expression: a sum or difference of data paths (`amounts.principal`), decimal literals
 * (`0.50`) and values finance derives itself (`$unbilledInterest`), e.g.
 * `schedule.totals.principal + contract.residualValue + schedule.totals.interest`. Nothing else: no products,
 * no rounding — a posting moves amounts the event carries, it does not compute new ones.
 */
export function parseAmountExpression(text: string): AmountTerm[] {
  const terms: AmountTerm[] = [];
  let rest = text.trim();
  if (rest === '') throw new ExpressionError('the expression is empty');
  let sign: 1 | -1 = 1;
  if (rest.startsWith('-')) {
    sign = -1;
    rest = rest.slice(1).trimStart();
  } else if (rest.startsWith('+')) {
    rest = rest.slice(1).trimStart();
  }
  for (;;) {
    const at = text.length - rest.length;
    const literal = leadingLiteral(rest);
    const path = literal === undefined ? leadingPath(rest) : undefined;
    if (rest.startsWith('$')) {
      const name = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (!name) throw new ExpressionError(`a derived value name must follow "$" at position ${at + 1}`);
      terms.push({ sign, kind: 'derived', name });
      rest = rest.slice(1 + name.length);
    } else if (literal !== undefined) {
      if (!isPlainDecimal(literal, { signed: true }))
        throw new ExpressionError(`${literal} has more than 15 digits or 6 decimals`);
      terms.push({ sign, kind: 'literal', value: literal });
      rest = rest.slice(literal.length);
    } else if (path !== undefined) {
      terms.push({ sign, kind: 'path', path, segments: parsePath(path) });
      rest = rest.slice(path.length);
    } else {
      throw new ExpressionError(`expected a data path, a decimal or $name at position ${at + 1}`);
    }
    rest = rest.trimStart();
    if (rest === '') return terms;
    const operator = rest[0];
    if (operator !== '+' && operator !== '-') {
      throw new ExpressionError(
        `expected + or - at position ${text.length - rest.length + 1}, found "${operator}"`,
      );
    }
    sign = operator === '+' ? 1 : -1;
    rest = rest.slice(1).trimStart();
    if (rest === '') throw new ExpressionError('the expression ends with an operator');
  }
}

/** The value at a path of the event's data; undefined when any step is missing. */
export function readPath(data: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

export type Evaluation =
  { ok: true; value: Decimal } | { ok: false; reason: 'missing' | 'invalid'; term: string; found?: unknown };

/**
 * The value of an expression over the event's data and the derived values. A path that is absent or null is
 * `missing`; one that holds something other than a decimal string is `invalid`. Exact: decimal.js adds
 * decimal strings without rounding.
 */
export function evaluateAmount(
  terms: readonly AmountTerm[],
  data: unknown,
  derived: Readonly<Record<string, string>>,
): Evaluation {
  let total = new Decimal(0);
  for (const term of terms) {
    let raw: unknown;
    let name: string;
    if (term.kind === 'literal') {
      raw = term.value;
      name = term.value;
    } else if (term.kind === 'derived') {
      raw = derived[term.name];
      name = `$${term.name}`;
    } else {
      raw = readPath(data, term.segments);
      name = term.path;
    }
    if (raw === undefined || raw === null) return { ok: false, reason: 'missing', term: name };
    if (typeof raw !== 'string' || !isPlainDecimal(raw, { signed: true })) {
      return { ok: false, reason: 'invalid', term: name, found: raw };
    }
    total = term.sign === 1 ? total.plus(raw) : total.minus(raw);
  }
  return { ok: true, value: total };
}
