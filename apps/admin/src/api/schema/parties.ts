// The API types of parties, generated beside its openapi.json (`npm run openapi`).
export type * from '@lessor/parties/openapi';
