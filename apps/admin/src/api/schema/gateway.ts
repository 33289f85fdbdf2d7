// The API types of gateway, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/gateway/openapi';
