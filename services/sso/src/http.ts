import type { FastifyReply, FastifyRequest } from 'fastify';
import { etag, kitErrors, parseIfMatch } from '@lessor/service-kit';

/** Dates leave the service as ISO strings (the schemas say `date-time`). */
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

/** Sets the ETag of a versioned resource on the reply. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, resource: T): T {
  void reply.header('etag', etag(resource.version));
  return resource;
}
