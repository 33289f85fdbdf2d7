using { peer } from '../db/schema';

// Dynamics 365 / Dataverse-shaped Web API (OData v4). The version stamp: modifiedon, sent as @odata.etag.
@path: '/dynamics'
service DynamicsService {
  entity accounts      as projection on peer.dynamics.Accounts;
  entity contacts      as projection on peer.dynamics.Contacts;
  entity opportunities as projection on peer.dynamics.Opportunities;
}

// SAP S/4HANA API_BUSINESS_PARTNER-shaped: served as OData v2 by the odata-v2-adapter in front of this v4 service.
@path: '/sap-v4/API_BUSINESS_PARTNER'
service API_BUSINESS_PARTNER {
  entity A_BusinessPartner          as projection on peer.sap.BusinessPartners {
    *,
    to_BusinessPartnerAddress : redirected to A_BusinessPartnerAddress,
    to_BusinessPartnerTax     : redirected to A_BusinessPartnerTaxNumber
  };
  entity A_BusinessPartnerAddress   as projection on peer.sap.BusinessPartnerAddresses;
  entity A_BusinessPartnerTaxNumber as projection on peer.sap.BusinessPartnerTaxNumbers;
}

// An outside accounting system taking journal entries with their lines (OData v4, $batch).
@path: '/accounting'
service AccountingService {
  entity JournalEntries    as projection on peer.accounting.JournalEntries;
  entity JournalEntryLines as projection on peer.accounting.JournalEntryLines;
}

// The ETags: the modified time, as Dataverse's @odata.etag and S/4HANA's business partner ETag change with every
// change. A write with a stale If-Match is answered 412 by CAP.
annotate DynamicsService.accounts with {
  modifiedon @odata.etag;
};

annotate DynamicsService.opportunities with {
  modifiedon @odata.etag;
};

annotate API_BUSINESS_PARTNER.A_BusinessPartner with {
  LastChangeDate @odata.etag;
};
