import { defineErrors } from '@lessor/service-kit';

/** The refusals of assets beyond the kit's own codes (listed in docs/errors.md). */
export const assetsErrors = defineErrors('assets', {
  ASSET_VIN_TAKEN: {
    status: 409,
    title: 'A live asset has this VIN',
    description:
      'A VIN names one vehicle; a deleted asset lets go of its VIN, so it may be registered again.',
  },
  ASSET_SERIAL_NUMBER_TAKEN: {
    status: 409,
    title: 'A live asset of this make has this serial number',
    description: 'Serial numbers are unique within a manufacturer (the make, regardless of case).',
  },
  ASSET_STATUS_TRANSITION_FORBIDDEN: {
    status: 409,
    title: 'The asset cannot change to this status by hand',
    description:
      'Allowed by hand: available → reserved or sold; reserved → available or leased; leased → returned; ' +
      'returned → available or sold. The answer names `from`, `to` and the `allowed` targets.',
  },
  ASSET_IN_USE: {
    status: 409,
    title: 'A reserved or leased asset cannot be deleted',
    description: 'A contract is about to take the asset or has it; release or return it first.',
  },
  ASSET_SUPPLIER_NOT_FOUND: {
    status: 422,
    title: 'The supplier does not exist',
    description: 'No live supplier has this id; `errors[]` names the field.',
  },
  INSURANCE_POLICY_NUMBER_TAKEN: {
    status: 409,
    title: 'A live policy of this insurer has this number',
    description: 'Policy numbers are unique per insurer (regardless of case) among live policies.',
  },
});
