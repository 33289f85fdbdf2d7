export { __nameCamel__Service } from './__name__.service.ts';
export { __nameCamel__ConfigSchema, type __Name__Config } from './config.ts';
export type { __Name__Database } from './database.ts';
