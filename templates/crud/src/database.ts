import type { BusinessColumns } from '@lessor/service-kit';

export interface __Entities__Table extends BusinessColumns {
  name: string;
  description: string | null;
}

/** The tables of __name__'s own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface __Name__Database {
  __entitiesCamel__: __Entities__Table;
}
