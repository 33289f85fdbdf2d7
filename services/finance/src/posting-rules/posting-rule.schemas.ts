import { AuditFields, BusinessListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import { AccountCode, LegalEntityCode } from '../finance.schemas.ts';
import { CONDITION_OPERATORS } from './posting-rule.ts';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const RuleCondition = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'A path into the event’s data, e.g. `kind`.',
    }),
    op: Type.Union(CONDITION_OPERATORS.map((op) => Type.Literal(op))),
    value: Type.Optional(Type.Union([Scalar, Type.Array(Scalar, { maxItems: 50 })])),
  },
  { additionalProperties: false },
);

export const RuleLine = Type.Object(
  {
    accountCode: AccountCode,
    side: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
    amount: Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'A sum/difference of data paths (`amounts.principal`), decimal literals (`0.50`) and derived values (`$unbilledInterest`). Zero leaves the line out; a negative amount books the other side.',
    }),
  },
  { additionalProperties: false },
);

const definition = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  eventType: Type.String({ minLength: 1, maxLength: 200 }),
  legalEntity: Type.Union([LegalEntityCode, Type.Null()], {
    default: null,
    description: 'The one legal entity it applies to (it wins over rules for all); null for all.',
  }),
  description: Type.String({ maxLength: 2000, default: '' }),
  conditions: Type.Array(RuleCondition, { maxItems: 20, default: [] }),
  datePath: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'The data field that dates the entry.',
  }),
  entryDescription: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'The entry’s description; `{path}` is replaced by the data’s value there.',
  }),
  lines: Type.Array(RuleLine, {
    maxItems: 20,
    description:
      'A debit and a credit line at least; or none: the event then posts nothing (acknowledged, not reviewed).',
  }),
};

export const PostingRule = Type.Object({
  id: Uuid,
  ...definition,
  legalEntity: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  conditions: Type.Array(RuleCondition),
  ...AuditFields,
});
export type PostingRule = Static<typeof PostingRule>;
export const PostingRuleList = PageOf(PostingRule);

export const CreatePostingRule = Type.Object(definition, { additionalProperties: false });
export type CreatePostingRule = Static<typeof CreatePostingRule>;

export const UpdatePostingRule = Type.Object(
  {
    name: Type.Optional(definition.name),
    // No defaults in a change: a field left out stays as it is.
    legalEntity: Type.Optional(Type.Union([LegalEntityCode, Type.Null()])),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    conditions: Type.Optional(Type.Array(RuleCondition, { maxItems: 20 })),
    datePath: Type.Optional(definition.datePath),
    entryDescription: Type.Optional(definition.entryDescription),
    lines: Type.Optional(definition.lines),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePostingRule = Static<typeof UpdatePostingRule>;

export const PostingRuleListQuery = BusinessListQuery(['name', 'eventType', 'createdAt'], {
  eventType: Type.Optional(Type.String({ maxLength: 200 })),
});
export type PostingRuleListQuery = Static<typeof PostingRuleListQuery>;
