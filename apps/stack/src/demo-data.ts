// The demo data of a first `npm start`, as plain values: what a new user finds in a living system. demo.ts
// plays it through the services' APIs. Dates are fixed, so every installation tells the same story; tax ids
// are made up but pass the VAT check digits parties applies (jsvat), VINs use the ISO 3779 alphabet.

export type ScheduleType = 'annuity' | 'differentiated' | 'seasonal';

/** A lease product, as `POST /v1/products` of leasing takes it. */
export interface DemoProduct {
  code: string;
  name: string;
  description: string;
  currencies: string[];
  scheduleTypes: ScheduleType[];
  minTermMonths: number;
  maxTermMonths: number;
  minRate: string;
  maxRate: string;
  maxAdvancePercent: string;
  maxResidualPercent: string;
  fees: ({ name: string; percent: string } | { name: string; amount: string })[];
  penaltyRate: string;
}

/** A company or a person, as `POST /v1/parties` takes it, and whether its KYC check is done. */
export interface DemoParty {
  key: string;
  party: {
    kind: 'company' | 'person';
    name: string;
    firstName?: string;
    lastName?: string;
    legalForm?: string;
    country: string;
    /** As parties stores it: upper case, with the VAT prefix. */
    taxId?: string;
    registrationNumber?: string;
    email?: string;
    phone?: string;
    addresses: {
      type: 'registered' | 'billing' | 'delivery';
      line1: string;
      city: string;
      postalCode: string;
      country: string;
    }[];
    contacts?: { name: string; role?: string; email?: string; phone?: string }[];
  };
  kyc: { status: 'verified'; reason: string } | { status: 'pending' };
}

interface Money {
  amount: string;
  currency: string;
}

/** A vehicle or a machine, as `POST /v1/assets` takes it, with the insurance policy it carries, if any. */
export interface DemoAsset {
  key: string;
  asset: {
    type: 'car' | 'truck' | 'van' | 'construction' | 'agricultural';
    make: string;
    model: string;
    vin?: string;
    serialNumber?: string;
    year: number;
    price: Money;
    locationText?: string;
  };
  insurance?: {
    insurer: string;
    policyNumber: string;
    coverage: string;
    insuredAmount: Money;
    premium: Money;
    validFrom: string;
    validTo: string;
  };
}

/** Where a demo contract's story ends. */
export type DemoOutcome = 'draft' | 'approved' | 'signed' | 'active' | 'closed' | 'terminated' | 'rejected';

/**
 * One lease: the terms its calculation is made of, for which party, asset and product, and how far its story
 * goes, with the business date of each step (a contract is approved and signed before it starts).
 */
export interface DemoLease {
  key: string;
  party: string;
  asset: string;
  product: string;
  terms: {
    assetPrice: Money;
    advance?: { percent: string };
    termMonths: number;
    annualRate: string;
    scheduleType: ScheduleType;
    seasonalWeights?: string[];
    residualValue?: Money;
    startDate: string;
    vatRate: string;
  };
  outcome: DemoOutcome;
  approvedOn?: string;
  signedOn?: string;
  activatedOn?: string;
  rejected?: { on: string; reason: string };
  closed?: { on: string; buyout: boolean };
  /** Early termination: quoted and executed at this date. */
  terminatedOn?: string;
}

const eur = (amount: string): Money => ({ amount, currency: 'EUR' });

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    code: 'DEMO-CAR',
    name: 'Car lease',
    description: 'Passenger cars for companies and private customers: 1 to 5 years, residual up to 40 %.',
    currencies: ['EUR'],
    scheduleTypes: ['annuity', 'differentiated'],
    minTermMonths: 12,
    maxTermMonths: 60,
    minRate: '3.9',
    maxRate: '9.9',
    maxAdvancePercent: '30',
    maxResidualPercent: '40',
    fees: [{ name: 'Arrangement fee', amount: '250.00' }],
    penaltyRate: '0.05',
  },
  {
    code: 'DEMO-COMMERCIAL',
    name: 'Trucks and vans',
    description: 'Commercial vehicles for hauliers and trades: 2 to 6 years.',
    currencies: ['EUR'],
    scheduleTypes: ['annuity', 'differentiated'],
    minTermMonths: 24,
    maxTermMonths: 72,
    minRate: '4.5',
    maxRate: '11',
    maxAdvancePercent: '40',
    maxResidualPercent: '30',
    fees: [{ name: 'Arrangement fee', percent: '1' }],
    penaltyRate: '0.05',
  },
  {
    code: 'DEMO-EQUIPMENT',
    name: 'Construction and agricultural equipment',
    description:
      'Excavators, loaders and tractors: 2 to 7 years; farms may pay by season, most after the harvest.',
    currencies: ['EUR'],
    scheduleTypes: ['annuity', 'differentiated', 'seasonal'],
    minTermMonths: 24,
    maxTermMonths: 84,
    minRate: '4.5',
    maxRate: '12',
    maxAdvancePercent: '50',
    maxResidualPercent: '25',
    fees: [{ name: 'Arrangement fee', percent: '0.75' }],
    penaltyRate: '0.04',
  },
];

export const DEMO_PARTIES: readonly DemoParty[] = [
  {
    key: 'muster-logistik',
    party: {
      kind: 'company',
      name: 'Muster Logistik GmbH',
      legalForm: 'GmbH',
      country: 'DE',
      taxId: 'DE284739612',
      registrationNumber: 'HRB 104512',
      email: 'fuhrpark@muster-logistik.example',
      phone: '+49 40 5550 1200',
      addresses: [
        { type: 'registered', line1: 'Am Hafen 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
      ],
      contacts: [{ name: 'Katrin Vogel', role: 'Fleet manager', email: 'k.vogel@muster-logistik.example' }],
    },
    kyc: { status: 'verified', reason: 'Commercial register extract and managing director’s ID checked' },
  },
  {
    key: 'hofmann-agrar',
    party: {
      kind: 'company',
      name: 'Hofmann Agrar GmbH',
      legalForm: 'GmbH',
      country: 'DE',
      taxId: 'DE315935770',
      registrationNumber: 'HRB 7731',
      email: 'buero@hofmann-agrar.example',
      addresses: [
        { type: 'registered', line1: 'Feldweg 3', city: 'Uelzen', postalCode: '29525', country: 'DE' },
      ],
    },
    kyc: { status: 'verified', reason: 'Register extract and last two annual accounts checked' },
  },
  {
    key: 'transports-lefevre',
    party: {
      kind: 'company',
      name: 'Transports Lefèvre SAS',
      legalForm: 'SAS',
      country: 'FR',
      taxId: 'FR80929182940',
      registrationNumber: 'RCS Lyon 929 182 940',
      email: 'contact@transports-lefevre.example',
      phone: '+33 4 72 55 01 20',
      addresses: [
        {
          type: 'registered',
          line1: '18 rue de la Villette',
          city: 'Lyon',
          postalCode: '69003',
          country: 'FR',
        },
      ],
      contacts: [{ name: 'Claire Lefèvre', role: 'Présidente' }],
    },
    kyc: { status: 'verified', reason: 'Kbis extract and president’s ID checked' },
  },
  {
    key: 'van-der-berg',
    party: {
      kind: 'company',
      name: 'Van der Berg Bouw B.V.',
      legalForm: 'B.V.',
      country: 'NL',
      taxId: 'NL519809506B01',
      registrationNumber: 'KvK 58231904',
      email: 'info@vanderbergbouw.example',
      addresses: [
        { type: 'registered', line1: 'Havenweg 41', city: 'Utrecht', postalCode: '3542 AD', country: 'NL' },
      ],
    },
    kyc: { status: 'verified', reason: 'KvK extract and UBO register checked' },
  },
  {
    key: 'rossi-costruzioni',
    party: {
      kind: 'company',
      name: 'Rossi Costruzioni S.r.l.',
      legalForm: 'S.r.l.',
      country: 'IT',
      taxId: 'IT04831331667',
      registrationNumber: 'REA MI-1734521',
      email: 'amministrazione@rossicostruzioni.example',
      addresses: [
        { type: 'registered', line1: 'Via Tortona 27', city: 'Milano', postalCode: '20144', country: 'IT' },
      ],
    },
    kyc: { status: 'verified', reason: 'Visura camerale and director’s ID checked' },
  },
  {
    key: 'kowalski-transport',
    party: {
      kind: 'company',
      name: 'Kowalski Transport Sp. z o.o.',
      legalForm: 'Sp. z o.o.',
      country: 'PL',
      taxId: 'PL5208927560',
      registrationNumber: 'KRS 0000781234',
      email: 'biuro@kowalski-transport.example',
      addresses: [
        {
          type: 'registered',
          line1: 'ul. Przemysłowa 8',
          city: 'Poznań',
          postalCode: '61-001',
          country: 'PL',
        },
      ],
    },
    // Still waiting for its papers: its draft cannot be approved yet.
    kyc: { status: 'pending' },
  },
  {
    key: 'anna-schmidt',
    party: {
      kind: 'person',
      name: 'Anna Schmidt',
      firstName: 'Anna',
      lastName: 'Schmidt',
      country: 'DE',
      email: 'anna.schmidt@mail.example',
      addresses: [
        { type: 'registered', line1: 'Lindenstraße 5', city: 'München', postalCode: '80331', country: 'DE' },
      ],
    },
    kyc: { status: 'verified', reason: 'Identity card and proof of income checked' },
  },
  {
    key: 'julien-moreau',
    party: {
      kind: 'person',
      name: 'Julien Moreau',
      firstName: 'Julien',
      lastName: 'Moreau',
      country: 'FR',
      email: 'julien.moreau@mail.example',
      addresses: [
        { type: 'registered', line1: '4 place Bellecour', city: 'Lyon', postalCode: '69002', country: 'FR' },
      ],
    },
    kyc: { status: 'verified', reason: 'Identity card and tax notice checked' },
  },
];

export const DEMO_ASSETS: readonly DemoAsset[] = [
  {
    key: 'vw-id4',
    asset: {
      type: 'car',
      make: 'Volkswagen',
      model: 'ID.4 Pro',
      vin: 'WVGZZZE2ZMP031742',
      year: 2025,
      price: eur('48900.00'),
      locationText: 'Hamburg',
    },
    insurance: {
      insurer: 'Allianz Versicherungs-AG',
      policyNumber: 'AZ-KFZ-2026-118204',
      coverage: 'Comprehensive (Vollkasko), EUR 500 deductible',
      insuredAmount: eur('48900.00'),
      premium: eur('1140.00'),
      validFrom: '2026-03-01',
      validTo: '2027-02-28',
    },
  },
  {
    key: 'bmw-320d',
    asset: {
      type: 'car',
      make: 'BMW',
      model: '320d Touring',
      vin: 'WBA8E1C50JK384215',
      year: 2026,
      price: eur('52400.00'),
    },
  },
  {
    key: 'mercedes-sprinter',
    asset: {
      type: 'van',
      make: 'Mercedes-Benz',
      model: 'Sprinter 317 CDI',
      vin: 'WDB9066331S512873',
      year: 2026,
      price: eur('61800.00'),
    },
  },
  {
    key: 'man-tgx',
    asset: {
      type: 'truck',
      make: 'MAN',
      model: 'TGX 18.470',
      vin: 'WMA06XZZ7KP125486',
      year: 2026,
      price: eur('128500.00'),
    },
  },
  {
    key: 'volvo-fh',
    asset: {
      type: 'truck',
      make: 'Volvo',
      model: 'FH 460',
      vin: 'YV2RT40A5LB887321',
      year: 2025,
      price: eur('112000.00'),
      locationText: 'Lyon',
    },
    insurance: {
      insurer: 'AXA France IARD',
      policyNumber: 'AXA-PL-7734021',
      coverage: 'Fleet policy: third-party liability, fire and theft',
      insuredAmount: eur('112000.00'),
      premium: eur('3280.00'),
      validFrom: '2026-01-01',
      // Ends soon: the renewal worklist has something to show.
      validTo: '2026-12-31',
    },
  },
  {
    key: 'fendt-724',
    asset: {
      type: 'agricultural',
      make: 'Fendt',
      model: '724 Vario',
      serialNumber: 'FEN724V2601187',
      year: 2026,
      price: eur('186000.00'),
      locationText: 'Uelzen',
    },
    insurance: {
      insurer: 'R+V Allgemeine Versicherung AG',
      policyNumber: 'RV-LW-55120873',
      coverage: 'Machinery breakdown and theft',
      insuredAmount: eur('186000.00'),
      premium: eur('2150.00'),
      validFrom: '2026-02-01',
      validTo: '2027-01-31',
    },
  },
  {
    key: 'peugeot-508',
    asset: {
      type: 'car',
      make: 'Peugeot',
      model: '508 SW Hybrid',
      vin: 'VR3F4DGZTLY012845',
      year: 2024,
      price: eur('38900.00'),
    },
  },
  {
    key: 'komatsu-pc210',
    asset: {
      type: 'construction',
      make: 'Komatsu',
      model: 'PC210LC-11 excavator',
      serialNumber: 'KMTPC229C55412345',
      year: 2025,
      price: eur('164000.00'),
      locationText: 'Utrecht depot',
    },
  },
  {
    key: 'tesla-model-y',
    asset: {
      type: 'car',
      make: 'Tesla',
      model: 'Model Y Long Range',
      vin: 'XP7YGCEK5PB123457',
      year: 2026,
      price: eur('54990.00'),
    },
  },
  {
    key: 'daf-xf',
    asset: {
      type: 'truck',
      make: 'DAF',
      model: 'XF 480',
      vin: 'XLRTEH4300G372195',
      year: 2026,
      price: eur('118000.00'),
    },
  },
  {
    key: 'cat-320',
    asset: {
      type: 'construction',
      make: 'Caterpillar',
      model: '320 excavator',
      serialNumber: 'CAT0320GZAP01234',
      year: 2026,
      price: eur('171500.00'),
      locationText: 'In stock, yard Köln',
    },
    insurance: {
      insurer: 'HDI Global SE',
      policyNumber: 'HDI-BM-2026-40917',
      coverage: 'Construction machinery (all risks)',
      insuredAmount: eur('171500.00'),
      premium: eur('2890.00'),
      validFrom: '2026-04-01',
      validTo: '2027-03-31',
    },
  },
  {
    key: 'renault-master',
    asset: {
      type: 'van',
      make: 'Renault',
      model: 'Master L3H2',
      vin: 'VF1MA000468123456',
      year: 2026,
      price: eur('44900.00'),
      locationText: 'In stock, yard Köln',
    },
  },
];

// The lessor invoices German VAT (19 %) on every installment in this demo.
const VAT = '19';

export const DEMO_LEASES: readonly DemoLease[] = [
  {
    key: 'muster-id4',
    party: 'muster-logistik',
    asset: 'vw-id4',
    product: 'DEMO-CAR',
    terms: {
      assetPrice: eur('48900.00'),
      advance: { percent: '10' },
      termMonths: 36,
      annualRate: '5.9',
      scheduleType: 'annuity',
      residualValue: eur('15000.00'),
      startDate: '2025-03-01',
      vatRate: VAT,
    },
    outcome: 'active',
    approvedOn: '2025-02-24',
    signedOn: '2025-02-26',
    activatedOn: '2025-03-01',
  },
  {
    key: 'lefevre-volvo',
    party: 'transports-lefevre',
    asset: 'volvo-fh',
    product: 'DEMO-COMMERCIAL',
    terms: {
      assetPrice: eur('112000.00'),
      advance: { percent: '15' },
      termMonths: 48,
      annualRate: '5.4',
      scheduleType: 'differentiated',
      residualValue: eur('20000.00'),
      startDate: '2025-09-01',
      vatRate: VAT,
    },
    outcome: 'active',
    approvedOn: '2025-08-20',
    signedOn: '2025-08-25',
    activatedOn: '2025-09-01',
  },
  {
    key: 'hofmann-fendt',
    party: 'hofmann-agrar',
    asset: 'fendt-724',
    product: 'DEMO-EQUIPMENT',
    terms: {
      assetPrice: eur('186000.00'),
      advance: { percent: '20' },
      termMonths: 60,
      annualRate: '4.9',
      scheduleType: 'seasonal',
      // A farm earns after the harvest: most of the year's installments fall due from August to October.
      seasonalWeights: ['0.5', '0.5', '0.5', '0.5', '0.5', '0.5', '1', '2', '2.5', '2', '1', '0.5'],
      residualValue: eur('30000.00'),
      startDate: '2026-02-01',
      vatRate: VAT,
    },
    outcome: 'active',
    approvedOn: '2026-01-20',
    signedOn: '2026-01-26',
    activatedOn: '2026-02-01',
  },
  {
    key: 'moreau-peugeot',
    party: 'julien-moreau',
    asset: 'peugeot-508',
    product: 'DEMO-CAR',
    terms: {
      assetPrice: eur('38900.00'),
      advance: { percent: '10' },
      termMonths: 12,
      annualRate: '4.9',
      scheduleType: 'annuity',
      residualValue: eur('15000.00'),
      startDate: '2025-01-15',
      vatRate: VAT,
    },
    // A one-year lease whose last installment fell due on 2026-01-15; the lessee bought the car.
    outcome: 'closed',
    approvedOn: '2025-01-08',
    signedOn: '2025-01-10',
    activatedOn: '2025-01-15',
    closed: { on: '2026-01-31', buyout: true },
  },
  {
    key: 'van-der-berg-komatsu',
    party: 'van-der-berg',
    asset: 'komatsu-pc210',
    product: 'DEMO-EQUIPMENT',
    terms: {
      assetPrice: eur('164000.00'),
      advance: { percent: '20' },
      termMonths: 60,
      annualRate: '6.5',
      scheduleType: 'annuity',
      residualValue: eur('20000.00'),
      startDate: '2025-05-01',
      vatRate: VAT,
    },
    // The project it was leased for ended; the lessee paid the termination quote and returned the machine.
    outcome: 'terminated',
    approvedOn: '2025-04-22',
    signedOn: '2025-04-25',
    activatedOn: '2025-05-01',
    terminatedOn: '2026-10-31',
  },
  {
    key: 'rossi-man',
    party: 'rossi-costruzioni',
    asset: 'man-tgx',
    product: 'DEMO-COMMERCIAL',
    terms: {
      assetPrice: eur('128500.00'),
      advance: { percent: '20' },
      termMonths: 60,
      annualRate: '6.2',
      scheduleType: 'annuity',
      residualValue: eur('25000.00'),
      startDate: '2027-01-01',
      vatRate: VAT,
    },
    outcome: 'signed',
    approvedOn: '2026-11-12',
    signedOn: '2026-11-19',
  },
  {
    key: 'van-der-berg-sprinter',
    party: 'van-der-berg',
    asset: 'mercedes-sprinter',
    product: 'DEMO-COMMERCIAL',
    terms: {
      assetPrice: eur('61800.00'),
      advance: { percent: '20' },
      termMonths: 48,
      annualRate: '6.9',
      scheduleType: 'differentiated',
      residualValue: eur('12000.00'),
      startDate: '2027-01-15',
      vatRate: VAT,
    },
    outcome: 'approved',
    approvedOn: '2026-11-16',
  },
  {
    key: 'schmidt-bmw',
    party: 'anna-schmidt',
    asset: 'bmw-320d',
    product: 'DEMO-CAR',
    terms: {
      assetPrice: eur('52400.00'),
      advance: { percent: '15' },
      termMonths: 48,
      annualRate: '6.4',
      scheduleType: 'annuity',
      residualValue: eur('18000.00'),
      startDate: '2027-01-01',
      vatRate: VAT,
    },
    outcome: 'draft',
  },
  {
    key: 'kowalski-daf',
    party: 'kowalski-transport',
    asset: 'daf-xf',
    product: 'DEMO-COMMERCIAL',
    terms: {
      assetPrice: eur('118000.00'),
      advance: { percent: '10' },
      termMonths: 60,
      annualRate: '7.2',
      scheduleType: 'annuity',
      residualValue: eur('20000.00'),
      startDate: '2027-02-01',
      vatRate: VAT,
    },
    // Waits for the party's KYC check before risk can approve it.
    outcome: 'draft',
  },
  {
    key: 'rossi-tesla',
    party: 'rossi-costruzioni',
    asset: 'tesla-model-y',
    product: 'DEMO-CAR',
    terms: {
      assetPrice: eur('54990.00'),
      termMonths: 36,
      annualRate: '6.9',
      scheduleType: 'annuity',
      startDate: '2027-01-01',
      vatRate: VAT,
    },
    outcome: 'rejected',
    rejected: {
      on: '2026-11-18',
      reason: 'The group’s exposure limit would be exceeded; resubmit once the MAN truck is delivered',
    },
  },
];
