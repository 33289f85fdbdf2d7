import type { paths as AssetsPaths } from '../../api/schema/assets.ts';

/** The JSON body of an operation's success answer (200 or 201), as assets' openapi.json declares it. */
type Answer<Operation> = Operation extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : Operation extends { responses: { 201: { content: { 'application/json': infer Body } } } }
    ? Body
    : never;

type Body<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Sent } } }
  ? Sent
  : never;

type ListQuery = AssetsPaths['/v1/assets']['get']['parameters']['query'];

export type Asset = Answer<AssetsPaths['/v1/assets/{id}']['get']>;
export type AssetListItem = Answer<AssetsPaths['/v1/assets']['get']>['items'][number];
export type AssetType = Asset['type'];
export type AssetStatus = Asset['status'];
export type AssetSort = NonNullable<ListQuery['sort']>;
export type NewAsset = Body<AssetsPaths['/v1/assets']['post']>;
export type AssetChange = Body<AssetsPaths['/v1/assets/{id}']['patch']>;
export type StatusChangeBody = Body<AssetsPaths['/v1/assets/{id}/status']['post']>;
export type AssetStatusChange = Answer<AssetsPaths['/v1/assets/{id}/status-history']['get']>['items'][number];
export type Supplier = Answer<AssetsPaths['/v1/suppliers']['get']>['items'][number];
export type InsurancePolicy = Answer<AssetsPaths['/v1/assets/{id}/insurance-policies/{policyId}']['get']>;
export type NewInsurancePolicy = Body<AssetsPaths['/v1/assets/{id}/insurance-policies']['post']>;
export type InsurancePolicyChange = Body<
  AssetsPaths['/v1/assets/{id}/insurance-policies/{policyId}']['patch']
>;

export const ASSET_TYPES: readonly AssetType[] = [
  'car',
  'truck',
  'van',
  'trailer',
  'construction',
  'agricultural',
  'medical',
  'it',
  'other',
];
export const ASSET_STATUSES: readonly AssetStatus[] = ['available', 'reserved', 'leased', 'returned', 'sold'];

/** Vehicles carry a VIN and no serial number; equipment the other way round (assets README, "VIN or serial"). */
export const VEHICLE_TYPES: readonly AssetType[] = ['car', 'truck', 'van', 'trailer'];

/**
 * The status changes a person may make by hand (assets README, "Status"): the rest follow contract events.
 * The API is the judge (409 ASSET_STATUS_TRANSITION_FORBIDDEN); this only decides what to offer.
 */
export const MANUAL_TRANSITIONS: Record<AssetStatus, readonly AssetStatus[]> = {
  available: ['reserved', 'sold'],
  reserved: ['available', 'leased'],
  leased: ['returned'],
  returned: ['available', 'sold'],
  sold: [],
};
