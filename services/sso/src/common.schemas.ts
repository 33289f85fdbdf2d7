import { Type } from '@lessor/service-kit';

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

export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const DeletedQuery = Type.Object({
  deleted: Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')], {
    default: 'exclude',
    description: 'Soft-deleted rows are left out unless asked for (admins restore them).',
  }),
});

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag of the version being changed; required.' })),
});
