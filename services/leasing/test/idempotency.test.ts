import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@lessor/service-kit/testing';
import { authorAndApprover, exampleCalculation, seed, startLeasing, type Leasing } from './fixtures.ts';

// POST /v1/contracts takes an Idempotency-Key: its answer commits with the contract (ADR 8). The handler calls parties
// and assets before its transaction and names the contract's party and asset in its answer; nothing of that may
// wait on the session the request's transaction holds.
describe.each(testBackends())('leasing with an Idempotency-Key on %s', (backend) => {
  let leasing: Leasing;
  let author: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    ({ author } = await authorAndApprover(leasing));
  });
  afterAll(async () => leasing?.close());

  it('should make a calculation and a contract once when the same key comes again, and answer within the deadline', async () => {
    const seeded = await seed(leasing, author);
    const key = (name: string) => ({ 'idempotency-key': `${name}-${seeded.assetId}` });
    const calculation = await leasing.call(
      'POST',
      '/v1/calculations',
      author,
      exampleCalculation(seeded.productId),
      key('calculation'),
    );
    expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
    const body = { calculationId: calculation.body.id, partyId: seeded.partyId, assetId: seeded.assetId };
    const first = await leasing.call('POST', '/v1/contracts', author, body, key('contract'));
    // Answered from a fresh check within the call's deadline (a request kept waiting by its own idempotency key
    // would have missed it: 503, or a stale party).
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.party).toMatchObject({ id: seeded.partyId, stale: false });
    const again = await leasing.call('POST', '/v1/contracts', author, body, key('contract'));
    expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([
      201,
      'true',
      first.body,
    ]);
    const drafts = await leasing.call('GET', `/v1/contracts?limit=100`, author);
    expect(drafts.body.items.filter((item: any) => item.asset.id === seeded.assetId)).toHaveLength(1);
  });
});
