// The API types of assets, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/assets/openapi';
