export { ssoService, type SsoOptions } from './sso.service.ts';
export { ssoConfigSchema, type SsoConfig } from './config.ts';
export { ssoErrors } from './sso.errors.ts';
export { ADMIN_USERNAME, ADMIN_PASSWORD_FILE, type FirstAdminResult } from './bootstrap/first-admin.ts';
