import type { Generated } from 'kysely';

/** A party as __name__ learned it from `lessor.parties.party.created.v1`; `digestId` once a digest took it. */
export interface LearnedPartiesTable {
  partyId: string;
  name: string;
  country: string;
  learnedAt: Generated<Date>;
  digestId: string | null;
}

/** One run of the digest job that found something: how many parties it gathered. */
export interface DigestsTable {
  id: string;
  madeAt: Generated<Date>;
  parties: number;
}

/** The tables of __name__'s own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface __Name__Database {
  learnedParties: LearnedPartiesTable;
  digests: DigestsTable;
}
