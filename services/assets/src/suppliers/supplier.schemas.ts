import { AuditFields, BusinessListQuery, PageOf, Type, Uuid, type Static } from '@lessor/service-kit';

const Country = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2 country code, e.g. DE (an assigned one).',
});
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const TaxId = Type.String({ minLength: 1, maxLength: 50, description: 'VAT number or other tax id.' });
const ContactName = Type.String({ minLength: 1, maxLength: 200 });
const ContactEmail = Type.String({ format: 'email', maxLength: 254 });
const ContactPhone = Type.String({
  minLength: 3,
  maxLength: 40,
  pattern: '^\\+?[0-9 ()./-]+$',
  description: 'Digits, spaces and + ( ) . / -; E.164 preferred.',
});
// Null first: the kit's Ajv coerces types, and a string branch tried first would turn null into "".
const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Optional(Type.Union([Type.Null(), schema]));

export const Supplier = Type.Object({
  id: Uuid,
  name: Type.String(),
  country: Type.String(),
  taxId: Type.Union([Type.String(), Type.Null()]),
  contactName: Type.Union([Type.String(), Type.Null()]),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
  contactPhone: Type.Union([Type.String(), Type.Null()]),
  ...AuditFields,
});
export type Supplier = Static<typeof Supplier>;
export const SupplierList = PageOf(Supplier);

export const CreateSupplier = Type.Object(
  {
    name: Name,
    country: Country,
    taxId: nullable(TaxId),
    contactName: nullable(ContactName),
    contactEmail: nullable(ContactEmail),
    contactPhone: nullable(ContactPhone),
  },
  { additionalProperties: false },
);
export type CreateSupplier = Static<typeof CreateSupplier>;

export const UpdateSupplier = Type.Object(
  {
    name: Type.Optional(Name),
    country: Type.Optional(Country),
    taxId: nullable(TaxId),
    contactName: nullable(ContactName),
    contactEmail: nullable(ContactEmail),
    contactPhone: nullable(ContactPhone),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSupplier = Static<typeof UpdateSupplier>;

export const SupplierListQuery = BusinessListQuery(['name', 'createdAt'], {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or tax id.' })),
  country: Type.Optional(Country),
});
export type SupplierListQuery = Static<typeof SupplierListQuery>;
