import { Type, type Static } from '@lessor/service-kit';
import { Value } from 'typebox/value';

/** One record as the outside system sends it. */
export const RemoteRecord = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  name: Type.String({ maxLength: 1000 }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type RemoteRecord = Static<typeof RemoteRecord>;

/** A page of the outside system: its records and the cursor of the next page (null on the last). */
export const RemotePage = Type.Object({
  records: Type.Array(RemoteRecord),
  next: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
});
export type RemotePage = Static<typeof RemotePage>;

/**
 * The page the outside system answered, checked before anything is written: a page that does not fit is an
 * error of the run (with what did not fit), never half a page in the database.
 */
export function readRemotePage(body: unknown): RemotePage {
  if (Value.Check(RemotePage, body)) return body;
  const [first] = Value.Errors(RemotePage, body);
  throw new Error(
    `the outside system sent a page that does not fit: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(),
  );
}
