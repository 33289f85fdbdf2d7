export { buildApp, AUDIT_VERSION, type AuditDeps } from './app.ts';
export { auditConfigSchema, loadAuditConfig, type AuditConfig } from './config.ts';
