import { partiesEvents } from '@lessor/event-catalog';
import type { ChangeAction, EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { PartyRow } from './parties/party.repository.ts';

/**
 * What another service may know of a party: who it is and its KYC status. E-mail, phone, addresses and
 * contact people are personal data kept in parties alone; consumers read them through the API when they must.
 */
export function partySnapshot(party: PartyRow) {
  return {
    id: party.id,
    kind: party.kind,
    name: party.name,
    country: party.country,
    taxId: party.taxId,
    kycStatus: party.kycStatus,
    legalForm: party.legalForm,
    registrationNumber: party.registrationNumber,
  };
}

/** parties' publishing, always from inside the transaction of the change (through the outbox). */
export class PartiesEvents {
  constructor(private readonly events: ServiceEvents) {}

  partyChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: PartyRow | null,
    after: PartyRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'party',
      action,
      entityId: after.id,
      before: before && partySnapshot(before),
      after: partySnapshot(after),
      actor,
    });
  }

  kycChanged(trx: EventTransaction, before: PartyRow, after: PartyRow, reason: string, actor: string) {
    return this.events.publish(trx, partiesEvents.partyKycChanged, {
      data: {
        partyId: after.id,
        from: before.kycStatus,
        to: after.kycStatus,
        reason,
        party: partySnapshot(after),
      },
      actor,
    });
  }
}
