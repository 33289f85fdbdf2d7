import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { partiesService } from '../src/parties.service.ts';

const backends = testBackends();
const REVIEWER = '0193a1b2-0000-7000-8000-0000000000cc';

describe.each(backends)('KYC of parties on %s', (backend) => {
  let parties: TestServices & TestService;
  let writer: string;
  let reviewer: string;

  beforeAll(async () => {
    parties = await startTestService(partiesService, { setup: { backend, broker: 'in-process' } });
    writer = await parties.token(['parties:parties:read', 'parties:parties:write']);
    reviewer = await parties.token(['parties:parties:read', 'parties:kyc:write'], REVIEWER);
  });
  afterAll(() => parties.close());

  const newParty = async (name: string) => {
    const created = await parties.call('POST', '/v1/parties', writer, {
      kind: 'company',
      name,
      country: 'DE',
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const decide = (id: string, status: string, reason: string, headers?: Record<string, string>) =>
    parties.call('POST', `/v1/parties/${id}/kyc`, reviewer, { status, reason }, headers);

  it('should record each decision in the history, newest first, and publish kyc-changed and updated', async () => {
    const id = await newParty('Kyc Kontor GmbH');
    const verified = await decide(id, 'verified', 'Register extract and ID of the director checked');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ kycStatus: 'verified', version: 2, updatedBy: REVIEWER });
    expect(verified.headers.etag).toBe('"2"');
    const expired = await decide(id, 'expired', 'Annual review due', { 'if-match': '"2"' });
    expect(expired.status).toBe(200);

    const history = await parties.call('GET', `/v1/parties/${id}/kyc-history`, writer);
    expect(history.status).toBe(200);
    expect(
      history.body.items.map(
        (entry: { from: string | null; status: string; reason: string; actor: string }) => [
          entry.from,
          entry.status,
          entry.reason,
          entry.actor,
        ],
      ),
    ).toEqual([
      ['verified', 'expired', 'Annual review due', REVIEWER],
      ['pending', 'verified', 'Register extract and ID of the director checked', REVIEWER],
      [null, 'pending', 'Party created', expect.any(String)],
    ]);
    const paged = await parties.call('GET', `/v1/parties/${id}/kyc-history?limit=2`, writer);
    const rest = await parties.call(
      'GET',
      `/v1/parties/${id}/kyc-history?limit=2&cursor=${paged.body.nextCursor}`,
      writer,
    );
    expect(rest.body.items.map((entry: { status: string }) => entry.status)).toEqual(['pending']);

    const kycEvents = await parties.outbox('lessor.parties.party.kyc-changed.v1');
    const ours = kycEvents.filter((event) => event.subject === id);
    expect(ours.map((event) => event.data)).toEqual([
      {
        partyId: id,
        from: 'pending',
        to: 'verified',
        reason: 'Register extract and ID of the director checked',
        party: expect.objectContaining({ id, kycStatus: 'verified' }),
      },
      {
        partyId: id,
        from: 'verified',
        to: 'expired',
        reason: 'Annual review due',
        party: expect.objectContaining({ id, kycStatus: 'expired' }),
      },
    ]);
    expect(ours.every((event) => event.actor === REVIEWER)).toBe(true);
    const updates = (await parties.outbox('lessor.parties.party.updated.v1')).filter((e) => e.subject === id);
    expect(updates.map((event) => event.data)).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ kycStatus: 'pending' }),
        after: expect.objectContaining({ kycStatus: 'verified' }),
        changed: ['kycStatus'],
      }),
      expect.objectContaining({ changed: ['kycStatus'] }),
    ]);
  });

  it('should refuse a decision the status does not allow, and the same status twice', async () => {
    const id = await newParty('Rejected Ringe GmbH');
    expect((await decide(id, 'rejected', 'Sanctions list match')).status).toBe(200);
    const verified = await decide(id, 'verified', 'Looks fine now');
    expect(verified.status).toBe(409);
    expect(verified.body).toMatchObject({
      code: 'PARTY_KYC_TRANSITION_NOT_ALLOWED',
      kycStatus: 'rejected',
      allowed: ['pending'],
    });
    expect((await decide(id, 'rejected', 'Again')).status).toBe(409);
    expect((await decide(id, 'pending', 'New documents received')).status).toBe(200);
    const history = await parties.call('GET', `/v1/parties/${id}/kyc-history`, writer);
    expect(history.body.items).toHaveLength(3);
  });

  it('should answer 412 for a stale If-Match and 400 naming the field for a bad decision', async () => {
    const id = await newParty('Stale Stahl GmbH');
    const stale = await decide(id, 'verified', 'Checked', { 'if-match': '"5"' });
    expect(stale.status).toBe(412);
    const bad = await parties.call('POST', `/v1/parties/${id}/kyc`, reviewer, {
      status: 'approved',
      reason: ' ',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      '/body/reason',
      '/body/status',
    ]);
    expect((await parties.call('GET', `/v1/parties/${id}`, writer)).body.kycStatus).toBe('pending');
  });

  it('should need parties:kyc:write to decide, and 404 for an unknown or deleted party', async () => {
    const id = await newParty('Guarded GmbH');
    const denied = await parties.call('POST', `/v1/parties/${id}/kyc`, writer, {
      status: 'verified',
      reason: 'Self-approved',
    });
    expect(denied.status).toBe(403);
    expect(denied.body.permission).toBe('parties:kyc:write');
    expect((await decide('0193a1b2-0000-7000-8000-00000000ffff', 'verified', 'Nobody')).status).toBe(404);
    await parties.call('DELETE', `/v1/parties/${id}`, writer, undefined, { 'if-match': '"1"' });
    expect((await decide(id, 'verified', 'Too late')).status).toBe(404);
    expect((await parties.call('GET', `/v1/parties/${id}/kyc-history`, writer)).status).toBe(404);
    expect(
      (await parties.call('GET', `/v1/parties/${id}/kyc-history?includeDeleted=true`, writer)).body.items,
    ).toHaveLength(1);
  });

  it('should keep the KYC history append-only in the database itself', async () => {
    const id = await newParty('Immutable GmbH');
    await expect(
      parties.database.db
        .updateTable('kyc_history' as never)
        .set({ reason: 'rewritten' } as never)
        .execute(),
    ).rejects.toMatchObject({ code: 'LS002' });
    await expect(parties.database.db.deleteFrom('kyc_history' as never).execute()).rejects.toMatchObject({
      code: 'LS002',
    });
    const history = await parties.call('GET', `/v1/parties/${id}/kyc-history`, writer);
    expect(history.body.items.map((entry: { reason: string }) => entry.reason)).toEqual(['Party created']);
  });
});
