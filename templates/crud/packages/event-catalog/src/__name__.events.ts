import { Type } from 'typebox';
import { defineChangeEvents } from './change-events.ts';

// The events of __name__: the four change events of a __entityWords__ (created, updated, deleted, restored),
// each published in the transaction of the change and kept by audit.

/** What another service may know of a __entityWords__. Never a secret, nor personal data it does not need. */
export const __Entity__Snapshot = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The __entityWords__ id.' }),
  name: Type.String({ description: 'Its name, as people see it.' }),
  description: Type.Union([Type.String(), Type.Null()], { description: 'What it is, in a few words.' }),
});

const __entityCamel__Changes = defineChangeEvents({
  publisher: '__name__',
  entity: '__entity__',
  snapshot: __Entity__Snapshot,
  // TODO(__name__): say what a __entityWords__ is for the readers of docs/events.md.
  description: 'A __entityWords__ is the business object the __name__ service owns.',
});

/** Every event __name__ publishes, by name. */
export const __nameCamel__Events = {
  __entityCamel__Created: __entityCamel__Changes.created,
  __entityCamel__Updated: __entityCamel__Changes.updated,
  __entityCamel__Deleted: __entityCamel__Changes.deleted,
  __entityCamel__Restored: __entityCamel__Changes.restored,
};
