import type { Migration } from '@lessor/service-kit';
import { __entitiesCamel__Migration } from './0001___entitiesSnake__.ts';

/** Every migration of __name__, in order. Forward only: a released migration is never edited. */
export const __nameCamel__Migrations: readonly Migration[] = [__entitiesCamel__Migration];
