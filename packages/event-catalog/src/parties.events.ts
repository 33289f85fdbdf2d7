import { Type } from 'typebox';
import { oneOfLiterals } from './literals.ts';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';

// The events of parties: the companies and people Lessor leases to. Snapshots carry what other services need
// to refer to a party and decide on it (name, country, tax id, KYC status) — no e-mail, phone, address or
// contact person: those personal details stay in parties and are read through its API.

const Id = (description: string) => Type.String({ format: 'uuid', description });

const KycStatus = oneOfLiterals(['pending', 'verified', 'rejected', 'expired'], {
  description:
    'Know-your-customer status: pending → verified | rejected; verified → expired | rejected | pending; ' +
    'expired → pending | verified | rejected; rejected → pending.',
});

/** What another service may know of a party: who it is and whether it may be contracted with. */
export const PartySnapshot = Type.Object({
  id: Id('The party id.'),
  kind: Type.Union([Type.Literal('company'), Type.Literal('person')]),
  name: Type.String({ description: 'Legal name of a company, full name of a person.' }),
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' }),
  taxId: Type.Union([Type.String(), Type.Null()], {
    description: 'Normalised: upper case, no separators; EU VAT numbers with their prefix (EL for Greece).',
  }),
  kycStatus: KycStatus,
  legalForm: Type.Union([Type.String(), Type.Null()], {
    description: 'GmbH, SA, Ltd…; companies only.',
  }),
  registrationNumber: Type.Union([Type.String(), Type.Null()], {
    description: 'Company register number, as given.',
  }),
});

const partyChanges = defineChangeEvents({
  publisher: 'parties',
  entity: 'party',
  snapshot: PartySnapshot,
  description:
    'A party is a company or a person Lessor deals with (a lessee, a guarantor). A change of e-mail, phone, ' +
    'addresses or contacts publishes `updated` with `changed: []`: those details are not in the snapshot. ' +
    'A KYC decision publishes `kyc-changed` besides `updated`.',
});

/** Every event parties publishes, by name: `partiesEvents.partyCreated.type === 'lessor.parties.party.created.v1'`. */
export const partiesEvents = {
  partyCreated: partyChanges.created,
  partyUpdated: partyChanges.updated,
  partyDeleted: partyChanges.deleted,
  partyRestored: partyChanges.restored,

  partyKycChanged: defineEvent({
    type: 'lessor.parties.party.kyc-changed.v1',
    publisher: 'parties',
    category: 'business',
    subject: 'partyId',
    description:
      'Fires when a KYC decision changes a party’s status, in the transaction that records it in the party’s ' +
      'KYC history. A party that is not `verified` should not get a new contract.',
    data: Type.Object({
      partyId: Id('The party.'),
      from: KycStatus,
      to: KycStatus,
      reason: Type.String({ description: 'Why, as the reviewer wrote it.' }),
      party: PartySnapshot,
    }),
  }),
} as const;
