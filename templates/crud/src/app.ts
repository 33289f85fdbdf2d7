import type { ServiceContext } from '@lessor/service-kit';
import type { __Name__Config } from './config.ts';
import type { __Name__Database } from './database.ts';
import { register__Entity__Routes } from './__entities__/__entity__.routes.ts';
import { __Entity__Service } from './__entities__/__entity__.service.ts';

/** What __name__ is built from: everything constructed by the kit (`__nameCamel__Service` in __name__.service.ts). */
export type __Name__Context = ServiceContext<__Name__Config, __Name__Database, never, object>;

/** Builds __name__: its routes, on the app the kit made. */
export async function build__Name__({ app, db, events }: __Name__Context): Promise<void> {
  register__Entity__Routes(app, new __Entity__Service(db, events));
}
