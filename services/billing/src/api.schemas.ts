import { Money } from '@lessor/event-catalog';
import { Type, type TSchema } from '@lessor/service-kit';

// Shapes every billing route shares.

export { Money };
export const DateString = Type.String({ format: 'date', description: 'A business date, YYYY-MM-DD.' });
export const DateTime = Type.String({ format: 'date-time' });
/** Null first: the kit's Ajv coerces types, and a string branch tried first would turn null into "". */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/** A run "up to a date": the billing run and the penalty run. */
export const RunRequest = Type.Object(
  {
    upTo: Type.String({
      format: 'date',
      description: 'Everything due up to this business date.',
    }),
  },
  { additionalProperties: false },
);
