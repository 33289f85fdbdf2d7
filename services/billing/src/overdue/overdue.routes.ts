import { actorOf, Type, Uuid, type ServiceApp } from '@lessor/service-kit';
import { DateString, Money, RunRequest } from '../api.schemas.ts';
import { money } from '@lessor/domain-values';
import { refuseFuture } from '../runs.ts';
import type { OverdueService } from './overdue.service.ts';
import { AGING_BUCKETS } from './overdue.ts';

const tags = ['overdue'];

const PenaltyRunResult = Type.Object({
  upTo: Type.String(),
  invoices: Type.Integer({ description: 'Overdue invoices looked at.' }),
  count: Type.Integer({ description: 'Penalties this run charged (0 when run again for the same day).' }),
  penalties: Type.Array(
    Type.Object({
      id: Uuid,
      invoiceId: Uuid,
      chargeDate: Type.String(),
      daysOverdue: Type.Integer(),
      amount: Money,
    }),
  ),
  dunningNotices: Type.Integer({ description: 'Dunning levels newly reached.' }),
});

const AgingQuery = Type.Object(
  {
    at: { ...DateString, description: 'The business date the receivables are aged at (end of that day).' },
    legalEntity: Type.Optional(Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$' })),
    contractId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

const Aging = Type.Object({
  at: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      buckets: Type.Array(
        Type.Object({
          bucket: Type.Enum(AGING_BUCKETS, {
            description: 'current (not yet due), 1-30, 31-60, 61-90, 90+ days past due.',
          }),
          amount: Money,
          invoices: Type.Integer(),
        }),
      ),
      total: Money,
    }),
  ),
});

/** The API of overdue invoices: the penalty run and the aging report. */
export function registerOverdueRoutes(app: ServiceApp, overdue: OverdueService, today: () => string): void {
  app.post(
    '/v1/penalty-runs',
    {
      config: { permission: 'billing:runs:write' },
      schema: {
        tags,
        summary: 'Charge the daily penalties and record the dunning levels up to a date',
        description:
          'Each day after an invoice’s due date costs the contract’s penalty rate (percent per day) on the principal still unpaid at the end of that day. Idempotent per invoice and day. `upTo` may not be after today.',
        body: RunRequest,
        response: { 200: PenaltyRunResult },
      },
    },
    async (request) => {
      refuseFuture(request.body.upTo, today());
      const result = await overdue.run(request.body.upTo, actorOf(request));
      return {
        upTo: result.upTo,
        invoices: result.invoices,
        count: result.penalties.length,
        penalties: result.penalties.map((penalty) => ({
          id: penalty.id,
          invoiceId: penalty.invoiceId,
          chargeDate: penalty.chargeDate,
          daysOverdue: penalty.daysOverdue,
          amount: money(penalty.amount, penalty.currency),
        })),
        dunningNotices: result.dunningNotices,
      };
    },
  );

  app.get(
    '/v1/aging',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags,
        summary: 'Receivables by days past due at a date, per currency',
        description:
          'What each invoice issued by `at` still asked for at the end of that day (penalties charged by then included, allocations made by then deducted).',
        querystring: AgingQuery,
        response: { 200: Aging },
      },
    },
    async (request) => {
      const rows = await overdue.aging(request.query);
      return {
        at: request.query.at,
        currencies: rows.map((row) => ({
          currency: row.currency,
          buckets: row.buckets.map((bucket) => ({
            bucket: bucket.bucket,
            amount: money(bucket.amount, row.currency),
            invoices: bucket.invoices,
          })),
          total: money(row.total, row.currency),
        })),
      };
    },
  );
}
