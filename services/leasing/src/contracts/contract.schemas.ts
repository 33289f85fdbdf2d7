import { Money } from '@lessor/event-catalog';
import { AuditFields, BusinessListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import { ScheduleLine, ScheduleTotals } from '../calculations/calculation.schemas.ts';
import { CONTRACT_STATUSES } from './contract.ts';

const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Status = Type.Union(CONTRACT_STATUSES.map((status) => Type.Literal(status)));
const DailyRate = Type.String({
  pattern: '^\\d{1,2}(\\.\\d{1,6})?$',
  description: 'Daily penalty rate on overdue principal, percent per day.',
});

export const ReferenceName = Type.Object(
  {
    id: Uuid,
    name: Type.Union([Type.String(), Type.Null()], {
      description:
        'The name from leasing’s own copy; null when leasing has not heard of it yet (`stale: true`).',
    }),
    asOf: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description:
        'When leasing last learned this name: the time of the owner’s change it last applied (an event’s `time`), or of its own check with the owner at a write of this contract. Null when not yet known.',
    }),
    stale: Type.Boolean({
      description:
        'True only when it matters: leasing has no name for this id yet (its event has not arrived), so `name` is null. A known name is never flagged: leasing hears of every change within seconds of it; `asOf` says how old it is.',
    }),
    reason: Type.Optional(Type.String({ description: 'Why the name is missing, when `stale`.' })),
  },
  {
    description:
      'A party or asset named by a contract. Reads never call parties or assets: the name is leasing’s own copy, kept current by `lessor.parties.party.updated.v1` and `lessor.assets.asset.updated.v1` and by the fresh checks of writes.',
  },
);

export const Contract = Type.Object({
  id: Uuid,
  number: Type.String(),
  legalEntity: Type.String(),
  status: Status,
  party: ReferenceName,
  asset: ReferenceName,
  productId: Uuid,
  calculationId: Uuid,
  assetPrice: Money,
  advance: Money,
  financedAmount: Money,
  residualValue: Money,
  termMonths: Type.Integer(),
  annualRate: Type.String(),
  vatRate: Type.String(),
  penaltyRate: Type.String(),
  scheduleType: Type.String(),
  startDate: Type.String(),
  scheduleVersion: Type.Integer(),
  paymentReference: Type.String(),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  approvedByName: Type.Union([Type.String(), Type.Null()], {
    description:
      'The approver’s name as their token gave it when they approved; null until approved (and on contracts approved before names were kept).',
  }),
  approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdByName: Type.Union([Type.String(), Type.Null()], {
    description:
      'The author’s name as their token gave it when they made the contract (null on contracts made before names were kept); `createdBy` is the id.',
  }),
  editors: Type.Array(Type.String(), {
    description:
      'Everyone (user ids, `client:<id>` for service clients) who changed the contract while it was a draft. Four eyes: none of them, and not `createdBy`, may approve or reject it.',
  }),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  statusChangedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  ...AuditFields,
});
export type Contract = Static<typeof Contract>;
export const ContractList = PageOf(Contract);

/** A contract read: deleted ones for an admin; its current schedule in the same answer on request. */
export const ContractReadQuery = Type.Object(
  {
    includeDeleted: Type.Boolean({ default: false }),
    include: Type.Optional(
      Type.Literal('schedule', {
        description:
          '`schedule`: the answer carries the current schedule version as `schedule` (what `GET …/schedule` gives), so a composed read asks leasing once.',
      }),
    ),
    names: Type.Optional(
      Type.Union([Type.Literal('fresh'), Type.Literal('stored')], {
        deprecated: true,
        description:
          'Ignored, accepted for older callers: every read now shows the names from leasing’s own copy and calls neither parties nor assets.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateContract = Type.Object(
  {
    calculationId: Uuid,
    partyId: Uuid,
    assetId: Uuid,
    legalEntity: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$' })),
    penaltyRate: Type.Optional(DailyRate),
  },
  { additionalProperties: false },
);
export type CreateContract = Static<typeof CreateContract>;

export const UpdateContract = Type.Object(
  {
    calculationId: Type.Optional(Uuid),
    partyId: Type.Optional(Uuid),
    assetId: Type.Optional(Uuid),
    penaltyRate: Type.Optional(DailyRate),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateContract = Static<typeof UpdateContract>;

export const ContractListQuery = BusinessListQuery(['number', 'createdAt', 'startDate'], {
  status: Type.Optional(Status),
  partyId: Type.Optional(Uuid),
  assetId: Type.Optional(Uuid),
  number: Type.Optional(Type.String({ maxLength: 40 })),
});
export type ContractListQuery = Static<typeof ContractListQuery>;

/** The body of a transition: the business date (today by default) and, where it matters, why. */
export const TransitionRequest = Type.Object(
  {
    businessDate: Type.Optional(DateString),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TransitionRequest = Static<typeof TransitionRequest>;
export const ReasonedTransitionRequest = Type.Object(
  { businessDate: Type.Optional(DateString), reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export const CloseRequest = Type.Object(
  {
    businessDate: Type.Optional(DateString),
    buyout: Type.Boolean({ description: 'True when the lessee bought the asset for the residual value.' }),
  },
  { additionalProperties: false },
);
export type CloseRequest = Static<typeof CloseRequest>;

export const Schedule = Type.Object({
  contractId: Uuid,
  version: Type.Integer(),
  effectiveFrom: Type.String(),
  effectiveRate: Type.String(),
  schedule: Type.Array(ScheduleLine),
  totals: ScheduleTotals,
});
/** A single contract read, with its schedule when asked (`include=schedule`). */
export const ContractRead = Type.Object({ ...Contract.properties, schedule: Type.Optional(Schedule) });
export type ContractRead = Static<typeof ContractRead>;

export const ScheduleQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const Transition = Type.Object({
  from: Type.String(),
  to: Type.String(),
  businessDate: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
});
export const TransitionList = Type.Object({ items: Type.Array(Transition) });

export const QuoteRequest = Type.Object(
  {
    terminationDate: DateString,
    feePercent: Type.Optional(
      Type.String({
        pattern: '^\\d{1,2}(\\.\\d{1,4})?$',
        description: 'Of the remaining principal; default 3.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

export const TerminationQuote = Type.Object({
  id: Uuid,
  contractId: Uuid,
  scheduleVersion: Type.Integer(),
  terminationDate: Type.String(),
  validUntil: Type.String(),
  remainingPrincipal: Money,
  accruedInterest: Money,
  fee: Money,
  feeVat: Money,
  overdue: Money,
  total: Money,
  executedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
});
export type TerminationQuote = Static<typeof TerminationQuote>;

export const TerminateRequest = Type.Object({ quoteId: Uuid }, { additionalProperties: false });

export const RestructureRequest = Type.Object(
  {
    fromDate: DateString,
    termMonths: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 600, description: 'Installments from fromDate on.' }),
    ),
    annualRate: Type.Optional(Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,6})?$' })),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type RestructureRequest = Static<typeof RestructureRequest>;
