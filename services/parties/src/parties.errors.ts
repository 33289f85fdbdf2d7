import { defineErrors } from '@lessor/service-kit';

/** The refusals of parties beyond the kit's own codes (listed in docs/errors.md). */
export const partiesErrors = defineErrors('parties', {
  PARTY_INVALID: {
    status: 422,
    title: 'The party does not satisfy its business rules',
    description:
      'Well-formed fields that do not fit: a tax id that fails its country’s format or checksum, a country ' +
      'that is not ISO 3166-1, a legal form or first/last name on the wrong kind of party. `errors[]` names each field.',
  },
  PARTY_TAX_ID_TAKEN: {
    status: 409,
    title: 'Another party has this tax id',
    description:
      'A tax id is unique per country among live parties. Also answered when restoring a party whose tax id ' +
      'another party took meanwhile. `partyId` names the holder when it is known.',
  },
  PARTY_EXTERNAL_REF_TAKEN: {
    status: 409,
    title: 'Another party has this external reference',
    description:
      'A system’s id (a CRM account) belongs to one live party at most. Also answered when restoring a party ' +
      'whose reference another party took meanwhile. `partyId` names the holder when it is known.',
  },
  PARTY_KYC_TRANSITION_NOT_ALLOWED: {
    status: 409,
    title: 'The KYC status cannot change this way',
    description:
      'The party’s KYC status does not allow the requested one (see the service README for the diagram), or ' +
      'it is the status the party already has.',
  },
});
