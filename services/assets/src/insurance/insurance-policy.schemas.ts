import {
  AuditFields,
  BusinessListQuery,
  ListQuery,
  PageOf,
  Type,
  Uuid,
  type Static,
} from '@lessor/service-kit';
import { AssetStatus, AssetType } from '../assets/asset.schemas.ts';
import { MoneyInput, MoneyOutput } from '../money.schemas.ts';

const BusinessDate = (description: string) => Type.String({ format: 'date', description });
const Insurer = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const PolicyNumber = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^\\S(.*\\S)?$',
  description: 'The insurer’s number; unique per insurer among live policies.',
});
const Coverage = Type.String({ maxLength: 2000, description: 'What it covers: comprehensive, liability…' });

export const PolicyParams = Type.Object({ id: Uuid, policyId: Uuid }, { additionalProperties: false });

export const InsurancePolicy = Type.Object({
  id: Uuid,
  assetId: Uuid,
  insurer: Type.String(),
  policyNumber: Type.String(),
  coverage: Type.String(),
  insuredAmount: MoneyOutput,
  premium: MoneyOutput,
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  ...AuditFields,
});
export type InsurancePolicy = Static<typeof InsurancePolicy>;
export const InsurancePolicyList = PageOf(InsurancePolicy);

export const CreateInsurancePolicy = Type.Object(
  {
    insurer: Insurer,
    policyNumber: PolicyNumber,
    coverage: Type.Optional(Coverage),
    insuredAmount: MoneyInput,
    premium: MoneyInput,
    validFrom: BusinessDate('The first day covered.'),
    validTo: BusinessDate('The last day covered; after validFrom.'),
  },
  { additionalProperties: false },
);
export type CreateInsurancePolicy = Static<typeof CreateInsurancePolicy>;

export const UpdateInsurancePolicy = Type.Object(
  {
    insurer: Type.Optional(Insurer),
    policyNumber: Type.Optional(PolicyNumber),
    coverage: Type.Optional(Coverage),
    insuredAmount: Type.Optional(MoneyInput),
    premium: Type.Optional(MoneyInput),
    validFrom: Type.Optional(BusinessDate('The first day covered.')),
    validTo: Type.Optional(BusinessDate('The last day covered; after validFrom.')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateInsurancePolicy = Static<typeof UpdateInsurancePolicy>;

export const InsurancePolicyListQuery = BusinessListQuery(['validFrom', 'validTo', 'createdAt'], {});
export type InsurancePolicyListQuery = Static<typeof InsurancePolicyListQuery>;

export const ExpiringQuery = Type.Object(
  {
    ...ListQuery.properties,
    expiringBefore: BusinessDate('Policies whose last day (validTo) is before this date.'),
    includeExpired: Type.Boolean({
      default: false,
      description: 'Also policies that ended before today (UTC) and were not renewed.',
    }),
  },
  { additionalProperties: false },
);
export type ExpiringQuery = Static<typeof ExpiringQuery>;

export const ExpiringPolicy = Type.Object({
  ...InsurancePolicy.properties,
  asset: Type.Object({
    id: Uuid,
    type: AssetType,
    make: Type.String(),
    model: Type.String(),
    vin: Type.Union([Type.String(), Type.Null()]),
    serialNumber: Type.Union([Type.String(), Type.Null()]),
    status: AssetStatus,
  }),
});
export type ExpiringPolicy = Static<typeof ExpiringPolicy>;
export const ExpiringPolicyList = PageOf(ExpiringPolicy);
