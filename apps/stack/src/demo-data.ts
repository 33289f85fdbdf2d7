// The demo data of a first `npm start`, as plain values: what a new user finds in a living system. demo.ts
// plays it through the services' APIs. Dates are counted from the day of the first start (`today`), so a start
// in any month tells the same story; tax ids are made up but pass the VAT check digits parties applies
// (jsvat), VINs use the ISO 3779 alphabet.

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
  /**
   * A lease that was billed: the lessee paid each invoice on its due date up to `until` (inclusive), the rest
   * not (yet). The money arrives in the demo's bank statement; a termination is paid by a transfer registered
   * by hand.
   */
  pays?: { until: string };
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

/**
 * The assets, dated from `today`: each vehicle's model year a little before its lease began, each insurance
 * policy in its current year of cover (the Volvo's ends in a few weeks: the renewal worklist has something).
 */
export function demoAssets(today: string): DemoAsset[] {
  const m = (months: number) => monthStart(today, months);
  const yearOf = (date: string) => Number(date.slice(0, 4));
  const coverFrom = (from: string) => ({ validFrom: from, validTo: addDays(addMonths(from, 12), -1) });
  return [
    {
      key: 'vw-id4',
      asset: {
        type: 'car',
        make: 'Volkswagen',
        model: 'ID.4 Pro',
        vin: 'WVGZZZE2ZMP031742',
        year: yearOf(m(13)),
        price: eur('48900.00'),
        locationText: 'Hamburg',
      },
      insurance: {
        insurer: 'Allianz Versicherungs-AG',
        policyNumber: 'AZ-KFZ-2026-118204',
        coverage: 'Comprehensive (Vollkasko), EUR 500 deductible',
        insuredAmount: eur('48900.00'),
        premium: eur('1140.00'),
        // Renewed on the lease's anniversary.
        ...coverFrom(m(0)),
      },
    },
    {
      key: 'bmw-320d',
      asset: {
        type: 'car',
        make: 'BMW',
        model: '320d Touring',
        vin: 'WBA8E1C50JK384215',
        year: yearOf(today),
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
        year: yearOf(today),
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
        year: yearOf(today),
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
        year: yearOf(m(10)),
        price: eur('112000.00'),
        locationText: 'Lyon',
      },
      insurance: {
        insurer: 'AXA France IARD',
        policyNumber: 'AXA-PL-7734021',
        coverage: 'Fleet policy: third-party liability, fire and theft',
        insuredAmount: eur('112000.00'),
        premium: eur('3280.00'),
        // Ends soon: the renewal worklist has something to show.
        validFrom: addDays(addMonths(addDays(today, 24), -12), 1),
        validTo: addDays(today, 24),
      },
    },
    {
      key: 'fendt-724',
      asset: {
        type: 'agricultural',
        make: 'Fendt',
        model: '724 Vario',
        serialNumber: 'FEN724V2601187',
        year: yearOf(m(8)),
        price: eur('186000.00'),
        locationText: 'Uelzen',
      },
      insurance: {
        insurer: 'R+V Allgemeine Versicherung AG',
        policyNumber: 'RV-LW-55120873',
        coverage: 'Machinery breakdown and theft',
        insuredAmount: eur('186000.00'),
        premium: eur('2150.00'),
        ...coverFrom(m(7)),
      },
    },
    {
      key: 'peugeot-508',
      asset: {
        type: 'car',
        make: 'Peugeot',
        model: '508 SW Hybrid',
        vin: 'VR3F4DGZTLY012845',
        year: yearOf(m(16)),
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
        year: yearOf(m(11)),
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
        year: yearOf(today),
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
        year: yearOf(today),
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
        year: yearOf(m(6)),
        price: eur('171500.00'),
        locationText: 'In stock, yard Köln',
      },
      insurance: {
        insurer: 'HDI Global SE',
        policyNumber: 'HDI-BM-2026-40917',
        coverage: 'Construction machinery (all risks)',
        insuredAmount: eur('171500.00'),
        premium: eur('2890.00'),
        ...coverFrom(m(8)),
      },
    },
    {
      key: 'renault-master',
      asset: {
        type: 'van',
        make: 'Renault',
        model: 'Master L3H2',
        vin: 'VF1MA000468123456',
        year: yearOf(today),
        price: eur('44900.00'),
        locationText: 'In stock, yard Köln',
      },
    },
  ];
}

// The lessor invoices German VAT (19 %) on every installment in this demo.
const VAT = '19';

/**
 * The leases, dated from `today` so that a start in any month tells the same story. `m(k)` is the first of
 * the month k months before this one (`m(0)` this month's, `m(-1)` next month's): the leases that run
 * started 7 to 15 months ago and have been invoiced every month since; the ones still being decided were
 * decided in the last few weeks and start soon.
 */
export function demoLeases(today: string): DemoLease[] {
  const m = (months: number) => monthStart(today, months);
  const before = (date: string, days: number) => addDays(date, -days);
  return [
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
        startDate: m(12),
        vatRate: VAT,
      },
      // A good payer: every invoice paid on its due date.
      outcome: 'active',
      approvedOn: before(m(12), 7),
      signedOn: before(m(12), 4),
      activatedOn: m(12),
      pays: { until: today },
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
        startDate: m(9),
        vatRate: VAT,
      },
      // A haulier in trouble: paid on time for half a year, nothing since two months ago — overdue, charged
      // penalties every day, and the oldest unpaid invoice has reached dunning level 2.
      outcome: 'active',
      approvedOn: before(m(9), 12),
      signedOn: before(m(9), 5),
      activatedOn: m(9),
      pays: { until: before(m(2), 1) },
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
        startDate: m(7),
        vatRate: VAT,
      },
      // Pays on time; this month's installment is not in the bank yet.
      outcome: 'active',
      approvedOn: before(m(7), 12),
      signedOn: before(m(7), 6),
      activatedOn: m(7),
      pays: { until: before(m(0), 1) },
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
        startDate: m(15),
        vatRate: VAT,
      },
      // A one-year lease whose last installment fell due three months ago; the car came back at the end of it
      // (the close moves its residual value from the lease receivable to assets held for sale).
      outcome: 'closed',
      approvedOn: before(m(15), 7),
      signedOn: before(m(15), 5),
      activatedOn: m(15),
      closed: { on: addDays(m(3), 14), buyout: false },
      pays: { until: today },
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
        startDate: m(10),
        vatRate: VAT,
      },
      // The project it was leased for ended; the lessee returned the machine and paid the termination invoice by
      // a transfer the accountant registered by hand.
      outcome: 'terminated',
      approvedOn: before(m(10), 9),
      signedOn: before(m(10), 6),
      activatedOn: m(10),
      terminatedOn: addDays(m(2), 14),
      pays: { until: today },
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
        startDate: m(-1),
        vatRate: VAT,
      },
      // Signed; the truck is delivered and the lease starts next month.
      outcome: 'signed',
      approvedOn: before(today, 25),
      signedOn: before(today, 18),
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
        startDate: addDays(m(-1), 14),
        vatRate: VAT,
      },
      // Approved by risk; waits for the customer's signature.
      outcome: 'approved',
      approvedOn: before(today, 21),
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
        startDate: m(-1),
        vatRate: VAT,
      },
      // Drafted by sales, the customer's KYC done: awaiting risk's approval.
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
        startDate: m(-2),
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
        startDate: m(-1),
        vatRate: VAT,
      },
      outcome: 'rejected',
      rejected: {
        on: before(today, 19),
        reason: 'The group’s exposure limit would be exceeded; resubmit once the MAN truck is delivered',
      },
    },
  ];
}

/** The starter roles of sso, one demo user each; sso's bootstrap makes the roles, the demo only the users. */
export type DemoRole = 'sales' | 'risk' | 'accountant' | 'collections' | 'auditor' | 'admin';

export interface DemoUser {
  username: string;
  fullName: string;
  email: string;
  role: DemoRole;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'demo.sales', fullName: 'Lena Hoffmann', email: 'lena.hoffmann@lessor.example', role: 'sales' },
  { username: 'demo.risk', fullName: 'Markus Weber', email: 'markus.weber@lessor.example', role: 'risk' },
  {
    username: 'demo.accountant',
    fullName: 'Eva Schulz',
    email: 'eva.schulz@lessor.example',
    role: 'accountant',
  },
  {
    username: 'demo.collections',
    fullName: 'Jonas Keller',
    email: 'jonas.keller@lessor.example',
    role: 'collections',
  },
  {
    username: 'demo.auditor',
    fullName: 'Petra Wagner',
    email: 'petra.wagner@lessor.example',
    role: 'auditor',
  },
  { username: 'demo.admin', fullName: 'Tobias Brandt', email: 'tobias.brandt@lessor.example', role: 'admin' },
];

// Business dates (`YYYY-MM-DD`), computed in UTC where every day has 24 hours.

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The same day `months` later (earlier when negative), or the month's last day when it has no such day. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(day, last));
  return first.toISOString().slice(0, 10);
}

/** The first day of the month `months` before the month of `date` (this month's for 0, next month's for -1). */
export function monthStart(date: string, months: number): string {
  return addMonths(`${date.slice(0, 8)}01`, -months);
}
