import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from '@lessor/service-kit';

/** JSON, or CSV when asked (`Accept: text/csv` or `?format=csv`). */
export function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return (request.headers.accept ?? '').toLowerCase().includes('text/csv');
}

/** A CSV answer saved as `<name>.csv`: the whole text, or a stream of it written as it is read. */
export function sendCsv(reply: FastifyReply, name: string, csv: string | Readable) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(csv);
}

/** A response that is the JSON schema or, when asked, CSV. */
export function jsonOrCsv(schema: TSchema, description = 'The report') {
  return {
    200: {
      description: `${description}; \`Accept: text/csv\` or \`?format=csv\` for CSV`,
      content: {
        'application/json': { schema },
        'text/csv': { schema: Type.String() },
      },
    },
  };
}
