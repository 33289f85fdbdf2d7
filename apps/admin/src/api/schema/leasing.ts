// The API types of leasing, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/leasing/openapi';
