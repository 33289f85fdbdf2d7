// The API types of billing, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/billing/openapi';
