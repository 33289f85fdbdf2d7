import { assetsService } from '@lessor/assets';
import { partiesService } from '@lessor/parties';
import {
  startTestService,
  type Backend,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { leasingService } from '../src/leasing.service.ts';

/** leasing as its tests start it: with parties and assets beside it, listening. */
export type Leasing = TestServices & TestService;

/** The business date leasing's tests run on unless a test moves it. */
export const TEST_TODAY = '2026-01-15';

/**
 * leasing with the real parties and assets beside it, each in its own schema of one test database, over the
 * in-process bus (as `npm start` runs): leasing reaches them over HTTP with its own client token, as in
 * production, and assets follows its contracts' events.
 */
export function startLeasing(backend: Backend, options: { today?: () => string } = {}): Promise<Leasing> {
  return startTestService(leasingService, {
    setup: { backend, broker: 'in-process' },
    neighbours: [partiesService, assetsService],
    // Generous for a shared 2-core machine: a test must not fail on a slow first call.
    env: { UPSTREAM_DEADLINE_MS: '3000' },
    options: { today: options.today ?? (() => TEST_TODAY) },
  });
}

const EVERY_PERMISSION = ['leasing:*:*', 'parties:*:*', 'assets:*:*'];

/** A person with every leasing, parties and assets permission and a name in the token (`name` claim). */
export function person(leasing: Leasing, userId: string, name: string): Promise<string> {
  return leasing.token(EVERY_PERMISSION, userId, name);
}

/** The two people of most tests: an author, and a second person who may approve what the author made. */
export async function authorAndApprover(leasing: Leasing): Promise<{ author: string; approver: string }> {
  return {
    author: await person(leasing, 'user-author', 'Anna Author'),
    approver: await person(leasing, 'user-approver', 'Paul Approver'),
  };
}

let sequence = 0;

/**
 * Makes a product in leasing, a party in parties (KYC verified unless told) and an available asset in assets,
 * as `author`; returns their ids.
 */
export async function seed(
  leasing: Leasing,
  author: string,
  options: { kyc?: string } = {},
): Promise<{ productId: string; partyId: string; assetId: string }> {
  sequence += 1;
  const parties = leasing.service('parties');
  const assets = leasing.service('assets');
  const product = await leasing.call('POST', '/v1/products', author, {
    code: `CAR-${Date.now().toString(36).toUpperCase()}-${sequence}`,
    name: 'Cars, standard',
    currencies: ['EUR', 'USD', 'JPY'],
    scheduleTypes: ['annuity', 'differentiated', 'seasonal'],
    minTermMonths: 12,
    maxTermMonths: 84,
    minRate: '2',
    maxRate: '15',
    maxResidualPercent: '40',
  });
  if (product.status !== 201) throw new Error(`product: ${JSON.stringify(product.body)}`);
  const party = await parties.call('POST', '/v1/parties', author, {
    kind: 'company',
    name: `Muster Logistik ${sequence} GmbH`,
    legalForm: 'GmbH',
    country: 'DE',
  });
  if (party.status !== 201) throw new Error(`party: ${JSON.stringify(party.body)}`);
  const kyc = options.kyc ?? 'verified';
  if (kyc !== 'pending') {
    const changed = await parties.call('POST', `/v1/parties/${party.body.id}/kyc`, author, {
      status: kyc,
      reason: 'documents checked',
    });
    if (changed.status !== 200) throw new Error(`kyc: ${JSON.stringify(changed.body)}`);
  }
  const asset = await assets.call('POST', '/v1/assets', author, {
    type: 'car',
    make: 'Volkswagen',
    model: 'ID.4',
    vin: vinFor(sequence),
    year: 2025,
    price: { amount: '48000.00', currency: 'EUR' },
  });
  if (asset.status !== 201) throw new Error(`asset: ${JSON.stringify(asset.body)}`);
  return { productId: product.body.id, partyId: party.body.id, assetId: asset.body.id };
}

/** A VIN of the right alphabet and length, distinct per call. */
function vinFor(sequence: number): string {
  const stamp = `${Date.now().toString(36).toUpperCase()}${sequence}`.replace(/[IOQ]/g, 'X');
  return `WVW${stamp}`.padEnd(17, '7').slice(0, 17);
}

/** The calculation request of ISSUE 4's example, on a product when given. */
export function exampleCalculation(productId?: string) {
  return {
    ...(productId ? { productId } : {}),
    assetPrice: { amount: '120000.00', currency: 'EUR' },
    advance: { percent: '20' },
    termMonths: 36,
    annualRate: '9.5',
    scheduleType: 'annuity' as const,
    residualValue: { amount: '10000.00', currency: 'EUR' },
    startDate: '2026-01-31',
    vatRate: '20',
  };
}
