import { actorOf, auditView, IdParams, type ServiceApp } from '@lessor/service-kit';
import type { AllocationRow } from '../allocations/allocation.repository.ts';
import { allocationView } from '../invoices/invoice.routes.ts';
import { D, money } from '@lessor/domain-values';
import type { PaymentRow } from './payment.repository.ts';
import type { Payment } from './payment.schemas.ts';
import {
  MatchRequest,
  PaymentDetail,
  PaymentList,
  PaymentListQuery,
  RegisterPayment,
} from './payment.schemas.ts';
import type { PaymentService } from './payment.service.ts';

const tags = ['payments'];

export function paymentView(payment: PaymentRow): Payment {
  const m = (amount: string) => money(amount, payment.currency);
  return {
    ...auditView(payment),
    status: payment.status as Payment['status'],
    source: payment.source as Payment['source'],
    amount: m(payment.amount),
    allocated: money(new D(payment.amount).minus(payment.unallocated), payment.currency),
    unallocated: m(payment.unallocated),
  };
}

const detailView = (detail: { payment: PaymentRow; allocations: AllocationRow[] }) => ({
  ...paymentView(detail.payment),
  allocations: detail.allocations.map(allocationView),
});

/** The API of payments: register one, list and read them, match an unmatched one by hand. */
export function registerPaymentRoutes(app: ServiceApp, payments: PaymentService): void {
  app.post(
    '/v1/payments',
    {
      config: { permission: 'billing:payments:write', idempotent: true },
      schema: {
        tags,
        summary: 'Register a payment received',
        description:
          'Matched to `contractId`, or by `reference` (the contract’s payment reference, mod-97 checked), else kept unmatched. A matched payment is allocated at once by the allocation rules; what is left is the client’s credit. Accepts `Idempotency-Key`.',
        body: RegisterPayment,
        response: { 201: PaymentDetail },
      },
    },
    async (request, reply) => {
      const detail = await payments.register(request.body, actorOf(request));
      return reply.code(201).header('location', `/v1/payments/${detail.payment.id}`).send(detailView(detail));
    },
  );

  app.get(
    '/v1/payments',
    {
      config: { permission: 'billing:payments:read' },
      schema: {
        tags,
        summary: 'List payments',
        description: '`status=unmatched` is the worklist of money waiting to be matched by hand.',
        querystring: PaymentListQuery,
        response: { 200: PaymentList },
      },
    },
    async (request) => {
      const page = await payments.list(request.query);
      return { items: page.items.map(paymentView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/payments/:id',
    {
      config: { permission: 'billing:payments:read' },
      schema: {
        tags,
        summary: 'Read a payment and its allocations',
        params: IdParams,
        response: { 200: PaymentDetail },
      },
    },
    async (request) => detailView(await payments.get(request.params.id)),
  );

  app.post(
    '/v1/payments/:id/match',
    {
      config: { permission: 'billing:payments:write' },
      schema: {
        tags,
        summary: 'Match an unmatched payment to a contract by hand',
        description: 'Publishes `payment.matched`, then allocates it like any matched payment.',
        params: IdParams,
        body: MatchRequest,
        response: { 200: PaymentDetail },
      },
    },
    async (request) =>
      detailView(await payments.match(request.params.id, request.body.contractId, actorOf(request))),
  );
}
