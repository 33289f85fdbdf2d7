export { buildApp, SSO_VERSION, type SsoDeps } from './app.ts';
export { loadSsoConfig, ssoConfigSchema, type SsoConfig } from './config.ts';
export { ssoErrors } from './sso.errors.ts';
export { ADMIN_USERNAME, ADMIN_PASSWORD_FILE, type FirstAdminResult } from './bootstrap/first-admin.ts';
