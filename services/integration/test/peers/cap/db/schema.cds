// The peers' tables: a CRM shaped like Microsoft Dataverse (Dynamics 365), one shaped like SAP S/4HANA's
// business partner API, and an outside accounting system taking journal entries.
namespace peer;

context dynamics {
  entity Accounts {
    key accountid              : UUID;
        name                   : String(160);
        accountnumber          : String(20);
        new_legalform          : String(40);
        new_taxid              : String(20);
        new_registrationnumber : String(40);
        emailaddress1          : String(100);
        telephone1             : String(50);
        address1_line1         : String(250);
        address1_city          : String(80);
        address1_postalcode    : String(20);
        address1_country       : String(2);
        statecode              : Integer default 0;
        new_lessorcontract     : String(40);
        new_lessorstatus       : String(40);
        new_lessorstatusdate   : Timestamp;
        @cds.on.insert: $now  @cds.on.update: $now
        modifiedon             : Timestamp;
  }

  entity Contacts {
    key contactid        : UUID;
        firstname        : String(50);
        lastname         : String(50);
        emailaddress1    : String(100);
        telephone1       : String(50);
        parentcustomerid : UUID;
        @cds.on.insert: $now  @cds.on.update: $now
        modifiedon       : Timestamp;
  }

  entity Opportunities {
    key opportunityid      : UUID;
        name               : String(300);
        customerid         : UUID;
        statuscode         : Integer default 1;
        new_lessorcontract : String(40);
        @cds.on.insert: $now  @cds.on.update: $now
        modifiedon         : Timestamp;
  }
}

context sap {
  entity BusinessPartners {
    key BusinessPartner            : String(10);
        BusinessPartnerCategory    : String(1);
        BusinessPartnerFullName    : String(81);
        OrganizationBPName1        : String(40);
        FirstName                  : String(40);
        LastName                   : String(40);
        LegalForm                  : String(2);
        CreationDate               : Date; // Edm.DateTime on the v2 wire, /Date(ms)/ without an offset
        YY1_LessorContract_bus     : String(40);
        YY1_LessorStatus_bus       : String(20);
        @cds.on.insert: $now  @cds.on.update: $now
        LastChangeDate             : Timestamp;
        to_BusinessPartnerAddress  : Composition of many BusinessPartnerAddresses on to_BusinessPartnerAddress.BusinessPartner = BusinessPartner;
        to_BusinessPartnerTax      : Composition of many BusinessPartnerTaxNumbers on to_BusinessPartnerTax.BusinessPartner = BusinessPartner;
  }

  entity BusinessPartnerAddresses {
    key BusinessPartner : String(10);
    key AddressID       : String(10);
        StreetName      : String(60);
        HouseNumber     : String(10);
        PostalCode      : String(10);
        CityName        : String(40);
        Country         : String(3);
        EmailAddress    : String(241);
        PhoneNumber     : String(30);
  }

  entity BusinessPartnerTaxNumbers {
    key BusinessPartner : String(10);
    key BPTaxType       : String(4);
        BPTaxNumber     : String(20);
  }
}

context accounting {
  entity JournalEntries {
    key EntryID     : UUID;
        LegalEntity : String(40);
        PostingDate : Date;
        Description : String(500);
        SourceType  : String(40);
        @cds.on.insert: $now
        ReceivedAt  : Timestamp;
        Lines       : Composition of many JournalEntryLines on Lines.EntryID = EntryID;
  }

  entity JournalEntryLines {
    key EntryID     : UUID;
    key LineNo      : Integer;
        AccountCode : String(20);
        Side        : String(6) enum { debit; credit };
        Amount      : Decimal(19, 4);
        Currency    : String(3);
  }
}
