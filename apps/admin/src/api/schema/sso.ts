// The API types of sso, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/sso/openapi';
