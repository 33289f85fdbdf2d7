import { Money } from '@lessor/event-catalog';
import { type Static, Type } from '@lessor/service-kit';
import { DateString, LegalEntityCode } from '../finance.schemas.ts';

export const RecognitionRequest = Type.Object(
  {
    legalEntity: Type.Optional(LegalEntityCode),
    upTo: Type.Optional(Type.Union([DateString], { description: 'Default: the business date.' })),
  },
  { additionalProperties: false },
);
export type RecognitionRequest = Static<typeof RecognitionRequest>;

export const RecognitionResult = Type.Object({
  legalEntity: Type.String(),
  upTo: Type.String({ format: 'date' }),
  recognised: Type.Integer({ description: 'Installments whose interest this run recognised.' }),
  amounts: Type.Array(Money),
  skipped: Type.Array(
    Type.Object({
      contractId: Type.String({ format: 'uuid' }),
      n: Type.Integer(),
      dueDate: Type.String({ format: 'date' }),
      reason: Type.String({
        description: 'Why it was not posted (a closed period…); a later run tries again.',
      }),
    }),
  ),
});
