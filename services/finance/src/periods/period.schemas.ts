import { type Static, Type } from '@lessor/service-kit';
import { LegalEntityCode, LegalEntityQuery, Nullable } from '../finance.schemas.ts';

export const PeriodParams = Type.Object(
  {
    entity: LegalEntityCode,
    period: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'The month, YYYY-MM.' }),
  },
  { additionalProperties: false },
);
export type PeriodParams = Static<typeof PeriodParams>;

export const PeriodChange = Type.Object({
  action: Type.Union([Type.Literal('closed'), Type.Literal('reopened')]),
  reason: Nullable(Type.String()),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const Period = Type.Object({
  legalEntity: Type.String(),
  period: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  changedAt: Nullable(Type.String({ format: 'date-time' })),
  changedBy: Nullable(Type.String()),
  history: Type.Array(PeriodChange),
});
export type Period = Static<typeof Period>;
export const PeriodList = Type.Object({
  items: Type.Array(Type.Omit(Period, ['history'])),
});
export const PeriodListQuery = Type.Object(LegalEntityQuery, { additionalProperties: false });

export const CloseRequest = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export const ReopenRequest = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why a closed month is opened again.' }),
  },
  { additionalProperties: false },
);
