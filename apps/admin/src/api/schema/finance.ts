// The API types of finance, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/finance/openapi';
