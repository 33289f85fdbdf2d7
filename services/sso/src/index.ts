export { ssoService, type SsoOptions } from './sso.service.ts';
export { ssoConfigSchema, type SsoConfig } from './config.ts';
export { ssoErrors } from './sso.errors.ts';
// Its type only: the module hashes passwords (argon2), and every process of the stack imports this index.
export type { FirstAdminResult } from './bootstrap/first-admin.ts';
