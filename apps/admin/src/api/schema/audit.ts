// The API types of audit, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/audit/openapi';
