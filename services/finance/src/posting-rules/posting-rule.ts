import type { FieldError } from '@lessor/service-kit';
import type { DraftLine, EntryDraft, LineIssue, Refusal, RefusalCode, Side } from '../entries/entry.ts';
import { DERIVED_VALUES } from '../leases/lease.ts';
import { formatAmount, type Decimal } from '../money.ts';
import {
  evaluateAmount,
  ExpressionError,
  parseAmountExpression,
  parsePath,
  readPath,
  type AmountTerm,
  type PathSegment,
} from './amount-expression.ts';
import { pathKind } from './event-paths.ts';

export const CONDITION_OPERATORS = ['isNull', 'isNotNull', 'equals', 'notEquals', 'in'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
export type ConditionValue = string | number | boolean | null;

/** A test on the event's data; a rule applies when all of its conditions hold. */
export interface RuleCondition {
  path: string;
  op: ConditionOperator;
  value?: ConditionValue | ConditionValue[];
}

/** One line a rule writes: an account of the chart, a side, and an amount expression over the event's data. */
export interface RuleLine {
  accountCode: string;
  side: Side;
  amount: string;
}

/** A posting rule as data: for an event type (and conditions), which accounts to debit and credit. */
export interface PostingRuleDefinition {
  name: string;
  eventType: string;
  /** The one legal entity it applies to; null for every legal entity. */
  legalEntity: string | null;
  description: string;
  conditions: RuleCondition[];
  /** The data field whose business date dates the entry (`issueDate`, `valueDate`, …). */
  datePath: string;
  /** The entry's description; `{path}` is replaced by the value at that data path. */
  entryDescription: string;
  lines: RuleLine[];
}

export interface PostingRule extends PostingRuleDefinition {
  id: string;
}

/** A rule with its paths and expressions parsed once, when it is loaded. */
export interface CompiledRule extends PostingRule {
  compiledConditions: { segments: PathSegment[]; condition: RuleCondition }[];
  dateSegments: PathSegment[];
  compiledLines: { line: RuleLine; terms: AmountTerm[] }[];
}

/** Parses a stored (valid) rule's paths and expressions. */
export function compileRule(rule: PostingRule): CompiledRule {
  return {
    ...rule,
    compiledConditions: rule.conditions.map((condition) => ({
      segments: parsePath(condition.path),
      condition,
    })),
    dateSegments: parsePath(rule.datePath),
    compiledLines: rule.lines.map((line) => ({ line, terms: parseAmountExpression(line.amount) })),
  };
}

/** What every posting of an event needs besides the rule, found by the catalogue's conventions. */
export interface EventFacts {
  legalEntity: string | undefined;
  currency: string | undefined;
  counterpartyId: string | null;
  contractId: string | null;
}

/**
 * The legal entity, currency, counterparty and contract of an event: the data's own `legalEntity`,
 * `currency`, `partyId` and `contractId`, else those of the contract snapshot leasing's events carry.
 */
export function eventFacts(data: unknown): EventFacts {
  const text = (path: string) => {
    const value = readPath(data, parsePath(path));
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    legalEntity: text('legalEntity') ?? text('contract.legalEntity'),
    currency: text('currency') ?? text('contract.currency'),
    counterpartyId: text('partyId') ?? text('contract.partyId') ?? null,
    contractId: text('contractId') ?? text('contract.id') ?? null,
  };
}

export function conditionHolds(condition: RuleCondition, value: unknown): boolean {
  switch (condition.op) {
    case 'isNull':
      return value === null || value === undefined;
    case 'isNotNull':
      return value !== null && value !== undefined;
    case 'equals':
      return value === condition.value;
    case 'notEquals':
      return value !== condition.value;
    case 'in':
      return Array.isArray(condition.value) && condition.value.includes(value as ConditionValue);
  }
}

/**
 * The rules that apply to an event of a legal entity: every condition holds. A rule made for that legal entity
 * wins over rules for every entity, so one company can book a type differently.
 */
export function matchingRules(
  rules: readonly CompiledRule[],
  data: unknown,
  legalEntity: string,
): CompiledRule[] {
  const holding = rules.filter(
    (rule) =>
      (rule.legalEntity === null || rule.legalEntity === legalEntity) &&
      rule.compiledConditions.every(({ segments, condition }) =>
        conditionHolds(condition, readPath(data, segments)),
      ),
  );
  const specific = holding.filter((rule) => rule.legalEntity !== null);
  return specific.length > 0 ? specific : holding;
}

/** The entry description: `{path}` replaced by the data's value there (`?` when absent). */
export function renderDescription(template: string, data: unknown): string {
  return template.replace(/\{([A-Za-z0-9_.[\]]+)\}/g, (_, path: string) => {
    try {
      const value = readPath(data, parsePath(path));
      return value === undefined || value === null ? '?' : String(value);
    } catch {
      return '?';
    }
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a rule makes of an event: an entry to check and write, nothing to post, or a refusal (to review). */
export type RuleOutcome =
  { outcome: 'draft'; draft: EntryDraft } | { outcome: 'nothing' } | { outcome: 'refused'; refusal: Refusal };

function refused(code: RefusalCode, message: string, lines: LineIssue[] = []): RuleOutcome {
  return { outcome: 'refused', refusal: { code, message, lines } };
}

/**
 * The entry an event makes under a rule; `nothing` when it makes none (a rule without lines, every amount
 * zero). A line whose amount is zero is left out (an invoice without VAT); a negative amount is booked on the
 * other side (a restructuring that lowers the interest). An amount path that is absent or not a decimal
 * refuses the posting — the event goes to review, it is never guessed.
 */
export function draftFromRule(
  rule: CompiledRule,
  event: { id: string; type: string; data: unknown },
  derived: Readonly<Record<string, string>>,
): RuleOutcome {
  if (rule.compiledLines.length === 0) return { outcome: 'nothing' };
  const facts = eventFacts(event.data);
  if (!facts.legalEntity) return refused('DATA_PATH_MISSING', 'the event names no legal entity');
  const currency = facts.currency;
  if (!currency) return refused('DATA_PATH_MISSING', 'the event names no currency');
  const date = readPath(event.data, rule.dateSegments);
  if (typeof date !== 'string' || !DATE.test(date)) {
    return refused(
      'DATA_PATH_MISSING',
      `rule “${rule.name}”: ${rule.datePath} holds no business date (${JSON.stringify(date ?? null)})`,
    );
  }
  const lines: DraftLine[] = [];
  for (const [index, { line, terms }] of rule.compiledLines.entries()) {
    const result = evaluateAmount(terms, event.data, derived);
    if (!result.ok) {
      return refused(
        result.reason === 'missing' ? 'DATA_PATH_MISSING' : 'AMOUNT_INVALID',
        result.reason === 'invalid'
          ? `rule “${rule.name}” line ${index + 1}: ${result.term} is not a decimal (${JSON.stringify(result.found)})`
          : result.term.startsWith('$')
            ? `rule “${rule.name}” line ${index + 1}: finance could not derive ${result.term} — it keeps no ` +
              `schedule for contract ${facts.contractId ?? '?'} (was its activation received?)`
            : `rule “${rule.name}” line ${index + 1}: ${result.term} is missing in the event`,
        [{ line: index, message: `${result.term} is ${result.reason}` }],
      );
    }
    const value: Decimal = result.value;
    if (value.isZero()) continue;
    const side: Side = value.isNegative() ? (line.side === 'debit' ? 'credit' : 'debit') : line.side;
    lines.push({
      accountCode: line.accountCode,
      currency,
      side,
      // Written with the currency's decimals (`12` → `12.00`), never rounded: the event's amounts are kept as they are.
      amount: formatAmount(value.abs(), currency),
      counterpartyId: facts.counterpartyId,
      contractId: facts.contractId,
    });
  }
  if (lines.length === 0) return { outcome: 'nothing' };
  return {
    outcome: 'draft',
    draft: {
      legalEntity: facts.legalEntity,
      entryDate: date,
      kind: 'event',
      description: renderDescription(rule.entryDescription, event.data),
      sourceEventId: event.id,
      sourceEventType: event.type,
      postingRuleId: rule.id,
      lines,
    },
  };
}

/** What a rule's validation needs to know of the system. */
export interface RuleContext {
  /** The event types finance receives (its queue's bindings). */
  consumedTypes: readonly string[];
  /** The data schema of an event type. */
  schemaOf(eventType: string): unknown;
  /** The account codes of the charts the rule applies to, per legal entity (deleted accounts left out). */
  accountCodes: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Everything wrong with a rule, as field errors under `/body`: an event type finance does not receive, a
 * condition or date path the event's schema does not have, an expression that does not parse or names a path
 * that is not a string in the schema (or a derived value the type does not have), an account code missing from
 * a chart it applies to, lines on one side only (no lines at all is allowed: the rule posts nothing). Balance
 * is not decided here (amounts are only known per event): an event whose amounts do not balance goes to review.
 */
export function ruleErrors(rule: PostingRuleDefinition, context: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  if (!context.consumedTypes.includes(rule.eventType)) {
    errors.push({
      field: '/body/eventType',
      message: `finance does not receive ${rule.eventType}; it receives ${context.consumedTypes.join(', ')}`,
    });
    return errors;
  }
  const schema = context.schemaOf(rule.eventType);
  const derived = DERIVED_VALUES[rule.eventType] ?? {};
  const checkPath = (path: string, field: string, mustBeString: boolean) => {
    let segments: PathSegment[];
    try {
      segments = parsePath(path);
    } catch (error) {
      errors.push({ field, message: (error as Error).message });
      return;
    }
    const kind = pathKind(schema, segments);
    if (kind === 'absent') errors.push({ field, message: `${path} is not in the data of ${rule.eventType}` });
    else if (mustBeString && kind !== 'string')
      errors.push({ field, message: `${path} does not hold a value` });
  };
  rule.conditions.forEach((condition, index) => {
    checkPath(condition.path, `/body/conditions/${index}/path`, false);
    const needsValue = condition.op !== 'isNull' && condition.op !== 'isNotNull';
    if (needsValue && condition.value === undefined) {
      errors.push({ field: `/body/conditions/${index}/value`, message: `${condition.op} needs a value` });
    }
    if (condition.op === 'in' && !Array.isArray(condition.value)) {
      errors.push({ field: `/body/conditions/${index}/value`, message: 'in needs a list of values' });
    }
  });
  checkPath(rule.datePath, '/body/datePath', true);
  rule.lines.forEach((line, index) => {
    const field = `/body/lines/${index}/amount`;
    try {
      for (const term of parseAmountExpression(line.amount)) {
        if (term.kind === 'path') checkPath(term.path, field, true);
        if (term.kind === 'derived' && !(term.name in derived)) {
          const known = Object.keys(derived);
          errors.push({
            field,
            message: `$${term.name} is not derived for ${rule.eventType}${known.length > 0 ? ` (it has ${known.map((name) => `$${name}`).join(', ')})` : ''}`,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      errors.push({ field, message: error.message });
    }
    for (const [legalEntity, codes] of context.accountCodes) {
      if (!codes.has(line.accountCode)) {
        errors.push({
          field: `/body/lines/${index}/accountCode`,
          message: `account ${line.accountCode} is not in the chart of ${legalEntity}`,
        });
      }
    }
  });
  // No lines at all is a rule that posts nothing (a close with buyout: the buyout invoice posts it), so such
  // an event is acknowledged rather than put on review; any lines must have both sides.
  if (
    rule.lines.length > 0 &&
    (!rule.lines.some((line) => line.side === 'debit') || !rule.lines.some((line) => line.side === 'credit'))
  ) {
    errors.push({ field: '/body/lines', message: 'a rule needs a debit line and a credit line' });
  }
  return errors;
}
