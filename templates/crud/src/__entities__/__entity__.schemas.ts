import { AuditFields, BusinessListQuery, PageOf, Type, Uuid, type Static } from '@lessor/service-kit';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Not blank.' });
const Description = Type.String({ maxLength: 2000 });

export const __Entity__ = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  ...AuditFields,
});
export type __Entity__ = Static<typeof __Entity__>;
export const __Entity__List = PageOf(__Entity__);

export const Create__Entity__ = Type.Object(
  {
    name: Name,
    // Null first: the kit's Ajv coerces types, and a string branch tried first would turn null into "".
    description: Type.Optional(Type.Union([Type.Null(), Description])),
  },
  { additionalProperties: false },
);
export type Create__Entity__ = Static<typeof Create__Entity__>;

export const Update__Entity__ = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.Union([Type.Null(), Description])),
  },
  { additionalProperties: false, minProperties: 1, description: 'Only the fields sent change.' },
);
export type Update__Entity__ = Static<typeof Update__Entity__>;

export const __ENTITY___SORT_FIELDS = ['name', 'createdAt', 'updatedAt'] as const;

export const __Entity__ListQuery = BusinessListQuery(__ENTITY___SORT_FIELDS, {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name, any case.' })),
});
export type __Entity__ListQuery = Static<typeof __Entity__ListQuery>;
