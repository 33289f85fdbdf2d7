// The API types of integration, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/integration/openapi';
