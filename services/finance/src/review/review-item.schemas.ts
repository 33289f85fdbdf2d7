import { ListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import { Nullable } from '../finance.schemas.ts';

const Status = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('discarded')]);

export const ReviewItem = Type.Object({
  id: Uuid,
  eventId: Uuid,
  eventType: Type.String(),
  legalEntity: Nullable(Type.String()),
  reasonCode: Type.String({
    description:
      'NO_MATCHING_RULE, AMBIGUOUS_RULES, DATA_PATH_MISSING, AMOUNT_INVALID, ENTRY_UNBALANCED, ACCOUNT_DISABLED, ACCOUNT_NOT_FOUND, PERIOD_CLOSED, ENTRY_DATE_IN_FUTURE or LEGAL_ENTITY_NOT_FOUND.',
  }),
  reason: Type.String(),
  status: Status,
  attempts: Type.Integer({ description: 'Times finance tried to post it (first delivery and retries).' }),
  entryId: Nullable(
    Type.String({ format: 'uuid', description: 'The entry it was posted as, once resolved.' }),
  ),
  event: Type.Unknown({ description: 'The event as received (CloudEvents envelope).' }),
  derived: Type.Record(Type.String(), Type.String(), {
    description: 'Values finance derived from its lease copy when the event arrived; a retry uses them.',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedBy: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type ReviewItem = Static<typeof ReviewItem>;
export const ReviewItemList = PageOf(ReviewItem);

export const ReviewItemListQuery = Type.Object(
  {
    ...ListQuery.properties,
    status: Type.Optional(Status),
    eventType: Type.Optional(Type.String({ maxLength: 200 })),
    reasonCode: Type.Optional(Type.String({ maxLength: 60 })),
    eventId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ReviewItemListQuery = Static<typeof ReviewItemListQuery>;

export const DiscardRequest = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000, description: 'Why it will not be posted.' }) },
  { additionalProperties: false },
);
