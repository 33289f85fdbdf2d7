import { type Static, Type } from '@lessor/service-kit';
import { CurrencyCode, DateString, LegalEntityCode, LegalEntityQuery } from '../finance.schemas.ts';

export const LegalEntity = Type.Object({
  code: Type.String(),
  name: Type.String(),
  functionalCurrency: Type.String(),
  businessDate: Type.String({ format: 'date', description: 'The date its books stand at now.' }),
  followsSystemDate: Type.Boolean({
    description: 'True while no business date was set: it is today’s system date (UTC).',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
  version: Type.Integer(),
});
export type LegalEntity = Static<typeof LegalEntity>;
export const LegalEntityList = Type.Object({ items: Type.Array(LegalEntity) });

export const CreateLegalEntity = Type.Object(
  {
    code: LegalEntityCode,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    functionalCurrency: CurrencyCode,
    chart: Type.Union([Type.Literal('default'), Type.Literal('empty')], {
      default: 'default',
      description: 'Open the default chart of a leasing company, or none.',
    }),
  },
  { additionalProperties: false },
);
export type CreateLegalEntity = Static<typeof CreateLegalEntity>;

export const BusinessDate = Type.Object({
  legalEntity: Type.String(),
  businessDate: Type.String({ format: 'date' }),
  followsSystemDate: Type.Boolean(),
});
export const BusinessDateQuery = Type.Object(LegalEntityQuery, { additionalProperties: false });
export const SetBusinessDate = Type.Object(
  {
    businessDate: Type.Union([DateString, Type.Null()], {
      description: 'The new business date; null to let it follow the system date again.',
    }),
  },
  { additionalProperties: false },
);
