import type { paths as AssetsPaths } from '../../api/schema/assets.ts';
import type { paths as BillingPaths } from '../../api/schema/billing.ts';
import type { paths as GatewayPaths } from '../../api/schema/gateway.ts';
import type { paths as LeasingPaths } from '../../api/schema/leasing.ts';
import type { paths as PartiesPaths } from '../../api/schema/parties.ts';

/** The JSON body of an operation's success answer (200 or 201), as the service's openapi.json declares it. */
type Answer<Operation> = Operation extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : Operation extends { responses: { 201: { content: { 'application/json': infer Body } } } }
    ? Body
    : never;

/** The JSON body an operation takes. */
type Body<Operation> = Operation extends {
  requestBody?: { content: { 'application/json': infer Sent } };
}
  ? Sent
  : never;

export type Contract = Answer<LeasingPaths['/v1/contracts/{id}']['get']>;
export type ContractListItem = Answer<LeasingPaths['/v1/contracts']['get']>['items'][number];
export type ContractStatus = Contract['status'];
export type ContractSort = NonNullable<LeasingPaths['/v1/contracts']['get']['parameters']['query']['sort']>;
export type Schedule = Answer<LeasingPaths['/v1/contracts/{id}/schedule']['get']>;
export type ScheduleLine = Schedule['schedule'][number];
export type Money = ScheduleLine['payment'];
export type StatusChange = Answer<LeasingPaths['/v1/contracts/{id}/history']['get']>['items'][number];
export type TerminationQuote = Answer<LeasingPaths['/v1/contracts/{id}/termination-quotes']['post']>;

export type ApproveBody = Body<LeasingPaths['/v1/contracts/{id}/approve']['post']>;
export type RejectBody = Body<LeasingPaths['/v1/contracts/{id}/reject']['post']>;
export type SignBody = Body<LeasingPaths['/v1/contracts/{id}/sign']['post']>;
export type ActivateBody = Body<LeasingPaths['/v1/contracts/{id}/activate']['post']>;
export type CloseBody = Body<LeasingPaths['/v1/contracts/{id}/close']['post']>;
export type DefaultBody = Body<LeasingPaths['/v1/contracts/{id}/default']['post']>;
export type RestructureBody = Body<LeasingPaths['/v1/contracts/{id}/restructure']['post']>;
export type QuoteBody = Body<LeasingPaths['/v1/contracts/{id}/termination-quotes']['post']>;

export type Party = Answer<PartiesPaths['/v1/parties/{id}']['get']>;
export type Asset = Answer<AssetsPaths['/v1/assets/{id}']['get']>;

export type Invoice = Answer<BillingPaths['/v1/invoices']['get']>['items'][number];
export type InvoiceSort = NonNullable<BillingPaths['/v1/invoices']['get']['parameters']['query']['sort']>;
export type Payment = Answer<BillingPaths['/v1/payments']['get']>['items'][number];
export type PaymentSort = NonNullable<BillingPaths['/v1/payments']['get']['parameters']['query']['sort']>;
export type ContractBalance = Answer<BillingPaths['/v1/contracts/{id}/balance']['get']>;

type GatewayCard = Answer<GatewayPaths['/v1/contract-cards/{id}']['get']>;
/** How one part of the composed card went: `ok`, or why it is empty (`unavailable`, `forbidden`…). */
export type PartStatus = GatewayCard['parts']['contract'];

/**
 * What the gateway's card gives of the schedule (services/gateway/src/cards/contract-card.ts,
 * `scheduleSummary`). The gateway's openapi.json declares its parts as loose objects, so this one shape is
 * written here; the others are the owning services' answers, typed from their schemas.
 */
export interface ScheduleSummary {
  version: number;
  installments: number;
  effectiveRate: string;
  firstDueDate: string | null;
  lastDueDate: string | null;
  nextInstallment: { n: number; dueDate: string; payment: Money; vat: Money } | null;
  totals: Schedule['totals'];
}

/** The contract card: each part is the owning service's answer, or null with the reason in `parts`. */
export interface ContractCardData {
  id: string;
  contract: Contract | null;
  party: Party | null;
  asset: Asset | null;
  schedule: ScheduleSummary | null;
  parts: GatewayCard['parts'];
}

/** The gateway's answer with its loose parts read as the services' answers they are. */
export function cardOf(answer: GatewayCard): ContractCardData {
  return {
    id: answer.id,
    contract: answer.contract as Contract | null,
    party: answer.party as Party | null,
    asset: answer.asset as Asset | null,
    schedule: answer.schedule as ScheduleSummary | null,
    parts: answer.parts,
  };
}
