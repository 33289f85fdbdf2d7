import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { testBackends } from '@lessor/service-kit/testing';
import { ContractRepository } from '../src/contracts/contract.repository.ts';
import type { LeasingDatabase } from '../src/database.ts';
import {
  authorAndApprover,
  exampleCalculation,
  person,
  seed,
  startLeasing,
  type Leasing,
} from './fixtures.ts';

/**
 * Four eyes (issue 12, item 1): the approver has neither made the contract nor changed it in any way since;
 * the service refuses, and the database refuses the same when the service is bypassed.
 */
describe.each(testBackends())('leasing four eyes on %s', (backend) => {
  let leasing: Leasing;
  let db: Kysely<LeasingDatabase>;
  /** A: makes drafts. B: changes them. C: never touches them before deciding. */
  let anna: string;
  let bruno: string;
  let clara: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    db = leasing.db<LeasingDatabase>();
    ({ author: anna, approver: bruno } = await authorAndApprover(leasing));
    clara = await person(leasing, 'user-clara', 'Clara Checker');
  });
  afterAll(async () => leasing?.close());

  /** A draft made by Anna on fresh reference data, with the product for further calculations. */
  async function draftByAnna() {
    const seeded = await seed(leasing, anna);
    const calculation = await leasing.call(
      'POST',
      '/v1/calculations',
      anna,
      exampleCalculation(seeded.productId),
    );
    expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
    const contract = await leasing.call('POST', '/v1/contracts', anna, {
      calculationId: calculation.body.id,
      partyId: seeded.partyId,
      assetId: seeded.assetId,
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    return { ...seeded, contract: contract.body };
  }

  const read = (id: string) => leasing.call('GET', `/v1/contracts/${id}`, anna);
  const move = (id: string, action: string, token: string, body: object = {}) =>
    leasing.call('POST', `/v1/contracts/${id}/${action}`, token, body);
  async function patch(id: string, token: string, changes: object) {
    const current = await read(id);
    return leasing.call('PATCH', `/v1/contracts/${id}`, token, changes, {
      'if-match': current.headers.etag as string,
    });
  }

  it('should refuse approval by a person who changed the draft, and accept one who never touched it', async () => {
    const { contract, productId } = await draftByAnna();
    // B makes a calculation at another rate and puts it on A's draft.
    const other = await leasing.call('POST', '/v1/calculations', bruno, {
      ...exampleCalculation(productId),
      annualRate: '7.25',
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const changed = await patch(contract.id, bruno, { calculationId: other.body.id });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.annualRate).toBe('7.25');
    expect(changed.body.editors).toEqual(['user-approver']);

    const byEditor = await move(contract.id, 'approve', bruno);
    expect(byEditor.status, JSON.stringify(byEditor.body)).toBe(403);
    expect(byEditor.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(byEditor.body.code).toBe('FOUR_EYES_EDITOR');
    expect(byEditor.body.detail).toMatch(/changed this contract/);
    const rejectByEditor = await move(contract.id, 'reject', bruno, { reason: 'mine now' });
    expect(rejectByEditor.status).toBe(403);
    expect(rejectByEditor.body.code).toBe('FOUR_EYES_EDITOR');
    expect((await read(contract.id)).body.status).toBe('draft');

    const byClara = await move(contract.id, 'approve', clara);
    expect(byClara.status, JSON.stringify(byClara.body)).toBe(200);
    expect(byClara.body).toMatchObject({
      status: 'approved',
      createdBy: 'user-author',
      createdByName: 'Anna Author',
      approvedBy: 'user-clara',
      approvedByName: 'Clara Checker',
      editors: ['user-approver'],
      annualRate: '7.25',
    });
  });

  it('should count any change to a draft, even one that leaves its terms as they were', async () => {
    const { contract } = await draftByAnna();
    const same = await patch(contract.id, bruno, { penaltyRate: contract.penaltyRate });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect((await move(contract.id, 'approve', bruno)).body.code).toBe('FOUR_EYES_EDITOR');

    // Deleting and restoring a draft is changing it too.
    const deleted = await leasing.call('DELETE', `/v1/contracts/${contract.id}`, clara, undefined, {
      'if-match': `"${same.body.version}"`,
    });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect((await leasing.call('POST', `/v1/contracts/${contract.id}/restore`, clara)).status).toBe(200);
    expect((await move(contract.id, 'approve', clara)).body.code).toBe('FOUR_EYES_EDITOR');
    expect((await read(contract.id)).body.editors).toEqual(['user-approver', 'user-clara']);

    const dora = await person(leasing, 'user-dora', 'Dora Decider');
    expect((await move(contract.id, 'approve', dora)).status).toBe(200);
  });

  it('should still refuse the author, with its own code', async () => {
    const { contract } = await draftByAnna();
    const own = await patch(contract.id, anna, { penaltyRate: '0.05' });
    expect(own.status).toBe(200);
    const answer = await move(contract.id, 'approve', anna);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('FOUR_EYES_REQUIRED');
  });

  it('should leave no approval standing over changed terms: an approved contract does not change', async () => {
    const { contract } = await draftByAnna();
    expect((await move(contract.id, 'approve', clara)).status).toBe(200);
    const edit = await patch(contract.id, anna, { penaltyRate: '0.09' });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('CONTRACT_TRANSITION_REFUSED');
    // Bypassing the service: the database keeps the approved terms.
    await expect(
      sql`update contracts set penalty_rate = '0.09', updated_by = 'user-author' where id = ${contract.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: 'LS003' });
    await expect(
      sql`update contract_schedules set effective_from = '2026-03-01' where contract_id = ${contract.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: 'LS003' });
    const after = (await read(contract.id)).body;
    expect(after).toMatchObject({
      status: 'approved',
      penaltyRate: contract.penaltyRate,
      approvedBy: 'user-clara',
    });
  });

  it('should refuse the bypass in the database itself when the service is skipped', async () => {
    const { contract } = await draftByAnna();
    expect((await patch(contract.id, bruno, { penaltyRate: '0.07' })).status).toBe(200);
    const contracts = new ContractRepository(db);
    const current = (await contracts.find(contract.id))!;
    expect(current.editors).toEqual(['user-approver']);

    // The repository writing an approval the service would have refused: by the editor, by the author.
    const approval = (who: string) =>
      contracts.update(
        contract.id,
        current.version,
        { status: 'approved', approvedBy: who, approvedAt: new Date() },
        who,
      );
    await expect(approval('user-approver')).rejects.toMatchObject({
      code: '23514',
      message: expect.stringContaining('contracts_four_eyes'),
    });
    await expect(approval('user-author')).rejects.toMatchObject({
      code: '23514',
      message: expect.stringContaining('contracts_four_eyes'),
    });

    // The list of editors is the database's to keep: clearing it changes nothing.
    await sql`update contracts set editors = '{}' where id = ${contract.id}`.execute(db);
    expect((await contracts.find(contract.id))!.editors).toEqual(['user-approver']);

    // A change in raw SQL records its actor even though the statement does not mention editors.
    await sql`update contracts set penalty_rate = '0.08', updated_by = 'user-eve' where id = ${contract.id}`.execute(
      db,
    );
    await expect(
      sql`update contracts set status = 'approved', approved_by = 'user-eve', approved_at = now(),
        updated_by = 'user-eve' where id = ${contract.id}`.execute(db),
    ).rejects.toMatchObject({ code: '23514' });
    // Rejecting is a decision too; skipping approval is refused; so is rewriting the author.
    await expect(
      sql`update contracts set status = 'rejected', updated_by = 'user-eve' where id = ${contract.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: 'LS003' });
    await expect(
      sql`update contracts set status = 'signed', updated_by = 'user-zed' where id = ${contract.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: 'LS003' });
    await expect(
      sql`update contracts set created_by = 'user-zed' where id = ${contract.id}`.execute(db),
    ).rejects.toMatchObject({ code: 'LS003' });
    // An approval that changes the terms in the same statement is no approval of what was read.
    await expect(
      sql`update contracts set status = 'approved', approved_by = 'user-zed', approved_at = now(),
        updated_by = 'user-zed', penalty_rate = '0.01' where id = ${contract.id}`.execute(db),
    ).rejects.toMatchObject({ code: 'LS003' });
    // A draft carries no approval (there is one approval step, and it leaves draft).
    await expect(
      sql`update contracts set approved_by = 'user-zed', approved_at = now() where id = ${contract.id}`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: '23514' });

    expect((await read(contract.id)).body).toMatchObject({
      status: 'draft',
      approvedBy: null,
      editors: ['user-approver', 'user-eve'],
    });
    // Someone who never touched it still can.
    expect((await move(contract.id, 'approve', clara)).status).toBe(200);
  });

  it('should not count a rename of the party or asset as a change of the contract', async () => {
    const { contract } = await draftByAnna();
    await sql`update contracts set party_name = 'Renamed GmbH' where id = ${contract.id}`.execute(db);
    expect((await new ContractRepository(db).find(contract.id))!.editors).toEqual([]);
  });
});
