import type { Kysely } from 'kysely';
import { ContractRepository, type ContractRow } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { referenceCandidates } from './payment-reference.ts';

export type MatchResult = { contract: ContractRow } | { note: string };

/**
 * Finds the contract a payment belongs to from what the payer wrote. Unmatched money says why, for the
 * person who matches it by hand: no reference, a mistyped one (check digits wrong), one billing does not
 * know, several contracts named, or a currency other than the contract's.
 */
export async function matchPayment(
  db: Kysely<BillingDatabase>,
  reference: string,
  currency: string,
): Promise<MatchResult> {
  const candidates = referenceCandidates(reference);
  const contracts = await new ContractRepository(db).findByReferences(candidates.valid);
  if (contracts.length > 1)
    return { note: `the reference names several contracts (${contracts.map((c) => c.number).join(', ')})` };
  const [contract] = contracts;
  if (contract) {
    if (contract.currency !== currency)
      return {
        note: `the reference is contract ${contract.number}'s, but the payment is in ${currency} and the contract in ${contract.currency}`,
      };
    return { contract };
  }
  if (candidates.valid.length > 0)
    return { note: `no contract has the payment reference ${candidates.valid.join(' or ')}` };
  if (candidates.mistyped.length > 0)
    return {
      note: `${candidates.mistyped.join(', ')} looks like a payment reference but its check digits are wrong`,
    };
  return { note: 'no payment reference found' };
}
