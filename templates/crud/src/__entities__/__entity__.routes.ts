import { auditView, registerBusinessRoutes, type ServiceApp } from '@lessor/service-kit';
import type { __Entity__Row } from './__entity__.repository.ts';
import {
  Create__Entity__,
  __Entity__,
  __Entity__List,
  __Entity__ListQuery,
  Update__Entity__,
} from './__entity__.schemas.ts';
import type { __Entity__Service } from './__entity__.service.ts';

/** The API of __entitiesWords__: the six routes of a business object (`__name__:__entities__:read|write`). */
export function register__Entity__Routes(app: ServiceApp, __entitiesCamel__: __Entity__Service): void {
  registerBusinessRoutes(app, {
    path: '/v1/__entities__',
    noun: '__entityWords__',
    tag: '__entities__',
    permissions: { read: '__name__:__entities__:read', write: '__name__:__entities__:write' },
    schemas: {
      item: __Entity__,
      list: __Entity__List,
      listQuery: __Entity__ListQuery,
      create: Create__Entity__,
      update: Update__Entity__,
    },
    useCases: __entitiesCamel__,
    view: (row: __Entity__Row): __Entity__ => auditView(row),
  });
}
