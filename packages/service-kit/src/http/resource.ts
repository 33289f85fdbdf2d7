import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TProperties, type TSchema } from 'typebox';
import { etag, parseIfMatch } from '../db/etag.ts';
import { kitErrors } from '../errors/kit.errors.ts';

/**
 * The schemas and helpers every business resource's routes share, so all services answer alike:
 * the audit fields, ids, list paging, the deleted filter, If-Match and ETag.
 */

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Who and when: on every business object (ARCHITECTURE.md §4 Data). */
export const AuditFields = {
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  deletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  deletedBy: Type.Union([Type.String(), Type.Null()]),
};

/** `?limit=&cursor=` of every list. */
export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
});

/** `?deleted=exclude|include|only`: soft-deleted rows are left out unless asked for. */
export const DeletedQuery = Type.Object({
  deleted: Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
    default: 'exclude',
    description: 'Soft-deleted rows are left out unless asked for (admins restore them).',
  }),
});

/** `?includeDeleted=true` lets an admin read a soft-deleted object (to restore it). */
export const IncludeDeletedQuery = Type.Object(
  { includeDeleted: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);

/** `sort=` one of the given fields, `-` in front for descending. */
export function SortQuery(fields: readonly string[]) {
  return Type.Union(fields.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)]));
}

/** `{ items, nextCursor }`: the answer of every list. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** The query of a business list: paging, the deleted filter, `sort` over `sortFields`, and the list's own filters. */
export function BusinessListQuery<P extends TProperties>(
  sortFields: readonly string[],
  filters: P = {} as P,
) {
  return Type.Object(
    {
      ...ListQuery.properties,
      ...DeletedQuery.properties,
      ...filters,
      sort: Type.Optional(SortQuery(sortFields)),
    },
    { additionalProperties: false },
  );
}

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag of the version being changed; required.' })),
});

/** A business row as the API shows it: dates as ISO strings (the schemas say `date-time`). */
export function auditView<T extends { createdAt: Date; updatedAt: Date; deletedAt: Date | null }>(row: T) {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt ? row.deletedAt.toISOString() : null,
  };
}

/** The version a write changes, from If-Match; a write without one is refused (428), never applied blind. */
export function requiredVersion(request: FastifyRequest): number {
  const version = parseIfMatch(request.headers['if-match']);
  if (version === undefined)
    throw kitErrors.create.PRECONDITION_REQUIRED('Send If-Match with the ETag you read');
  return version;
}

/** Sets the ETag of a versioned resource on the reply and returns the resource. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, resource: T): T {
  void reply.header('etag', etag(resource.version));
  return resource;
}
