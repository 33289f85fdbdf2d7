import { defineErrors } from '@lessor/service-kit';

/** The refusals of leasing beyond the kit's own codes (listed in docs/errors.md). */
export const leasingErrors = defineErrors('leasing', {
  LEASE_TERMS_INVALID: {
    status: 422,
    title: 'The lease terms cannot be calculated',
    description:
      'The terms are well-formed but break a rule of the calculation or of the product (a rate outside its range, a residual above the financed amount, an unknown currency…); `errors[]` names each field.',
  },
  PRODUCT_CODE_TAKEN: {
    status: 409,
    title: 'A product with this code exists',
    description: 'Product codes are unique, case-insensitively, also against deleted products.',
  },
  PRODUCT_INACTIVE: {
    status: 422,
    title: 'The product takes no new calculations',
    description: 'The product was deactivated; existing contracts on it are unaffected.',
  },
  CONTRACT_TRANSITION_REFUSED: {
    status: 409,
    title: 'The contract cannot make this transition now',
    description:
      'Its status does not allow it (a draft cannot be activated), or a precondition is not met; `detail` says which.',
  },
  FOUR_EYES_REQUIRED: {
    status: 403,
    title: 'A second person must approve the contract',
    description:
      'The person who made a contract may not approve or reject it. See also `FOUR_EYES_EDITOR`: nor may anyone who changed it.',
  },
  FOUR_EYES_EDITOR: {
    status: 403,
    title: 'Someone who changed the contract cannot approve it',
    description:
      'Four eyes cover every hand on a contract: whoever changed a draft (a PATCH of its calculation, party, asset or penalty rate, even to the same value; a delete or restore) may neither approve nor reject it, as its author may not (`FOUR_EYES_REQUIRED`). Otherwise a second person could edit a colleague’s draft into what they want and approve it alone. The contract’s `editors` lists who changed it; ask someone who is not among them and not its `createdBy`. The database refuses such an approval too (constraint `contracts_four_eyes`).',
  },
  ASSET_NOT_AVAILABLE: {
    status: 409,
    title: 'The asset cannot be leased',
    description:
      'The asset is not available (reserved, leased, sold…) or another live contract holds it; then the answer names that contract in `detail` and `holder` (`id`, `number`, `status`).',
  },
  PARTY_NOT_ELIGIBLE: {
    status: 409,
    title: 'The party cannot take this contract',
    description:
      'The party does not exist any more, or its KYC status is not verified (required for approval).',
  },
  REFERENCE_NOT_FOUND: {
    status: 422,
    title: 'A referenced object does not exist',
    description:
      'The party, asset or calculation the request names does not exist; `errors[]` names the field.',
  },
  PARTIES_UNAVAILABLE: {
    status: 503,
    title: 'parties could not confirm the party',
    description:
      'A write that needs a fresh check of the party (making a contract, changing its party, approving it: the party exists and its KYC is verified) found parties down, slow or refusing; nothing was changed. Retry after `Retry-After` seconds. Reads never call parties: they answer from leasing’s own copy of the names.',
  },
  ASSETS_UNAVAILABLE: {
    status: 503,
    title: 'assets could not confirm the asset',
    description:
      'A write that needs a fresh check of the asset (making a contract, changing its asset, approving it: the asset exists and is available) found assets down, slow or refusing; nothing was changed. Retry after `Retry-After` seconds. Reads never call assets: they answer from leasing’s own copy of the names.',
  },
  QUOTE_NOT_EXECUTABLE: {
    status: 409,
    title: 'The termination quote cannot be executed',
    description:
      'It expired, was executed already, or the schedule changed since it was made; ask for a new quote.',
  },
});
