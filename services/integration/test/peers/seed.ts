// Seeding the peer's sqlite file (in the peer's process): bulk inserts of the deterministic records of
// seed-data.ts — 10,000 accounts with their contacts and opportunities take about a second.
import { seededAccount, seededBusinessPartner, seededContact, seededOpportunity } from './seed-data.ts';

/** The entity sets the control API can change or read, with their tables and keys. */
export const entityTargets: Record<string, { table: string; keys: string[]; service: string }> = {
  accounts: { table: 'peer.dynamics.Accounts', keys: ['accountid'], service: 'dynamics' },
  contacts: { table: 'peer.dynamics.Contacts', keys: ['contactid'], service: 'dynamics' },
  opportunities: { table: 'peer.dynamics.Opportunities', keys: ['opportunityid'], service: 'dynamics' },
  A_BusinessPartner: { table: 'peer.sap.BusinessPartners', keys: ['BusinessPartner'], service: 'sap' },
  A_BusinessPartnerAddress: {
    table: 'peer.sap.BusinessPartnerAddresses',
    keys: ['BusinessPartner', 'AddressID'],
    service: 'sap',
  },
  A_BusinessPartnerTaxNumber: {
    table: 'peer.sap.BusinessPartnerTaxNumbers',
    keys: ['BusinessPartner', 'BPTaxType'],
    service: 'sap',
  },
  JournalEntries: { table: 'peer.accounting.JournalEntries', keys: ['EntryID'], service: 'accounting' },
  JournalEntryLines: {
    table: 'peer.accounting.JournalEntryLines',
    keys: ['EntryID', 'LineNo'],
    service: 'accounting',
  },
};

const chunkSize = 2_000;

async function insertAll(cds: any, tx: any, table: string, rows: object[]): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    await tx.run(cds.ql.INSERT.into(table).entries(rows.slice(start, start + chunkSize)));
  }
}

export async function seedPeer(
  cds: any,
  counts: { accounts: number; businessPartners: number },
): Promise<void> {
  const indexes = (count: number) => Array.from({ length: count }, (_, index) => index);
  await cds.tx(async (tx: any) => {
    await insertAll(cds, tx, 'peer.dynamics.Accounts', indexes(counts.accounts).map(seededAccount));
    await insertAll(cds, tx, 'peer.dynamics.Contacts', indexes(counts.accounts).map(seededContact));
    await insertAll(cds, tx, 'peer.dynamics.Opportunities', indexes(counts.accounts).map(seededOpportunity));
    const partners = indexes(counts.businessPartners).map(seededBusinessPartner);
    await insertAll(
      cds,
      tx,
      'peer.sap.BusinessPartners',
      partners.map(({ to_BusinessPartnerAddress: _a, to_BusinessPartnerTax: _t, ...partner }) => partner),
    );
    await insertAll(
      cds,
      tx,
      'peer.sap.BusinessPartnerAddresses',
      partners.flatMap((partner) => partner.to_BusinessPartnerAddress),
    );
    await insertAll(
      cds,
      tx,
      'peer.sap.BusinessPartnerTaxNumbers',
      partners.flatMap((partner) => partner.to_BusinessPartnerTax),
    );
  });
}
