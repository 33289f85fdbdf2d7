import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentReference } from '@lessor/domain-values';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, startBilling, type BillingWorld, type TestContract } from './fixtures.ts';

describe.each(testSetups())(
  'billing bank statement imports on $backend with the $broker transport',
  (setup) => {
    let world: BillingWorld;
    let a: TestContract;
    let b: TestContract;

    beforeAll(async () => {
      world = await startBilling(setup, { today: '2026-03-10' });
      a = aContract();
      b = aContract();
      await world.activate(a);
      await world.activate(b);
      await world.call('POST', '/v1/billing-runs', world.admin, { upTo: '2026-02-28' });
    });
    afterAll(async () => world?.close());

    const upload = (text: string, type: string, query = '') =>
      world.call('POST', `/v1/imports${query}`, world.admin, text, { 'content-type': type });
    const finished = async (id: string) => {
      await world.importsIdle();
      return world.until(async () => {
        const answer = await world.call('GET', `/v1/imports/${id}`, world.admin);
        return answer.body.status === 'completed' ? answer.body : undefined;
      }, `import ${id} completed`);
    };
    const paymentsOf = async (importId?: string) =>
      (
        await world.call(
          'GET',
          `/v1/payments?limit=200${importId ? `&importId=${importId}` : ''}`,
          world.admin,
        )
      ).body.items as any[];
    const received = async () => (await world.outbox('lessor.billing.payment.received.v1')).length;
    const lineOutcomes = (report: any) =>
      report.lines.map((line: any) => [line.entry, line.line, line.status, line.reason]);

    it('should import a CSV statement line by line: matched, unmatched, a broken line refused alone, a debit skipped', async () => {
      const tag = Date.now().toString(36);
      const unknown = paymentReference('LC-LESSOR-2026-999999');
      const csv = [
        'valueDate,amount,currency,reference,bankReference,payerName,creditDebit',
        `2026-02-01,1000.00,EUR,${a.snapshot.paymentReference},CSV-${tag}-1,Anna GmbH,C`,
        `2026-02-02,75.00,EUR,${unknown},CSV-${tag}-2,,C`,
        `2026-02-02,12,50,EUR,advance,CSV-${tag}-3,,C`,
        `2026-02-03,9.99,EUR,bank fees,CSV-${tag}-4,,D`,
        `2026-02-03,300.00,EUR,"Rate 1, ${b.snapshot.paymentReference}",CSV-${tag}-5,,C`,
        '',
      ].join('\n');
      const paymentsBefore = (await paymentsOf()).length;

      const started = await upload(csv, 'text/csv', '?fileName=march.csv');
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.headers.location).toBe(`/v1/imports/${started.body.id}`);
      // The answer shows the import as stored: the broken and the debit line are done, three are to import.
      expect(started.body).toMatchObject({
        format: 'csv',
        fileName: 'march.csv',
        status: 'running',
        linesTotal: 5,
        linesDone: 2,
        refused: 1,
        skipped: 1,
      });

      const report = await finished(started.body.id);
      expect(report).toMatchObject({
        linesTotal: 5,
        linesDone: 5,
        matched: 2,
        unmatched: 1,
        refused: 1,
        skipped: 1,
      });
      expect(lineOutcomes(report)).toEqual([
        [1, 2, 'matched', `contract ${a.snapshot.number}`],
        [2, 3, 'unmatched', `no contract has the payment reference ${unknown}`],
        [3, 4, 'refused', 'it has 8 fields where the header has 7'],
        [4, 5, 'skipped', 'a debit (money out), not a payment received'],
        [5, 6, 'matched', `contract ${b.snapshot.number}`],
      ]);
      const imported = await paymentsOf(started.body.id);
      expect(
        imported
          .map((payment) => [payment.importLine, payment.status, payment.amount.amount, payment.source])
          .sort(),
      ).toEqual([
        [2, 'matched', '1000.00', 'import'],
        [3, 'unmatched', '75.00', 'import'],
        [6, 'matched', '300.00', 'import'],
      ]);
      // The matched money was allocated at once: contract A's advance is paid.
      expect((await world.invoices(a.snapshot.id))[0]).toMatchObject({ kind: 'advance', status: 'paid' });
      expect((await paymentsOf()).length).toBe(paymentsBefore + 3);

      // The same file again adds nothing: the earlier import answers.
      const eventsBefore = await received();
      const again = await upload(csv, 'text/csv');
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(started.body.id);
      expect((await paymentsOf()).length).toBe(paymentsBefore + 3);
      expect(await received()).toBe(eventsBefore);

      // The file with the broken line mended is another file: its lines imported before are skipped by bank reference.
      const mended = await upload(csv.replace('12,50', '12.50'), 'text/csv');
      expect(mended.status).toBe(202);
      const second = await finished(mended.body.id);
      expect(second).toMatchObject({ matched: 0, unmatched: 1, refused: 0, skipped: 4 });
      expect(second.lines.map((line: any) => line.status)).toEqual([
        'skipped',
        'skipped',
        'unmatched',
        'skipped',
        'skipped',
      ]);
      expect(second.lines[0].reason).toBe(
        `bank reference CSV-${tag}-1 was imported before (payment ${imported.find((p) => p.importLine === 2).id})`,
      );
      expect((await paymentsOf()).length).toBe(paymentsBefore + 4);
    });

    it('should import a camt.053 statement and refuse an unreadable one whole, naming the line', async () => {
      const tag = Date.now().toString(36);
      const entry = (body: string) => `      <Ntry>\n${body}\n      </Ntry>`;
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${tag}</MsgId><CreDtTm>2026-03-02T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-${tag}</Id>
${[
  entry(`        <Amt Ccy="EUR">1260.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><ValDt><Dt>2026-03-01</Dt></ValDt>
        <AcctSvcrRef>CAMT-${tag}-1</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>${b.snapshot.paymentReference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>`),
  entry(`        <Amt Ccy="EUR">40.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt>
        <AcctSvcrRef>CAMT-${tag}-2</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>thank you</Ustrd></RmtInf></TxDtls></NtryDtls>`),
  entry(
    `        <Amt Ccy="EUR">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>CAMT-${tag}-3</AcctSvcrRef>`,
  ),
  entry(
    `        <CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>CAMT-${tag}-4</AcctSvcrRef>`,
  ),
].join('\n')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
      const started = await upload(xml, 'application/xml');
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.format).toBe('camt053');
      const report = await finished(started.body.id);
      expect(lineOutcomes(report)).toEqual([
        [1, 7, 'matched', `contract ${b.snapshot.number}`],
        [2, 12, 'unmatched', 'no payment reference found'],
        [3, 17, 'skipped', 'a debit entry (money out), not a payment received'],
        [4, 20, 'refused', 'the entry has no Amt with a Ccy'],
      ]);
      expect(report.lines[0]).toMatchObject({
        valueDate: '2026-03-01',
        amount: { amount: '1260.00', currency: 'EUR' },
        reference: b.snapshot.paymentReference,
        bankReference: `CAMT-${tag}-1`,
      });
      const allocated = (await world.outbox('lessor.billing.payment.allocated.v1')).filter(
        (event) => (event.data as any).paymentId === report.lines[0].paymentId,
      );
      expect(allocated.map((event) => (event.data as any).amounts.total)).toEqual(['700.00', '560.00']);

      const imports = async () =>
        (await world.call('GET', '/v1/imports?limit=200', world.admin)).body.items.length;
      const before = await imports();
      const paymentsBefore = (await paymentsOf()).length;
      expect((await upload(xml, 'text/xml')).status).toBe(200);
      const broken = await upload(
        xml.replace('<Amt Ccy="EUR">40.00</Amt>', '<Amt Ccy="EUR">40.00</Amx>'),
        'application/xml',
      );
      expect(broken.status).toBe(422);
      expect(broken.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(broken.body).toMatchObject({ code: 'BANK_FILE_UNREADABLE', line: 13 });
      expect(broken.body.detail).toMatch(/^line 13: Not well-formed XML/);
      expect(broken.body.errors[0].field).toBe('/body');
      expect(await imports()).toBe(before);
      expect((await paymentsOf()).length).toBe(paymentsBefore);
    });

    it('should refuse a statement that is not UTF-8 naming its line, and read it in the charset the upload names', async () => {
      const tag = Date.now().toString(36);
      const csv = [
        'valueDate,amount,currency,reference,bankReference,payerName',
        `2026-02-04,5.00,EUR,first,LATIN-${tag}-1,Anna GmbH`,
        `2026-02-04,6.00,EUR,second,LATIN-${tag}-2,Müller & Söhne KG`,
        '',
      ].join('\r\n');
      const windows1252 = Buffer.from(csv, 'latin1');
      const send = (type: string) =>
        world.call('POST', '/v1/imports', world.admin, windows1252, { 'content-type': type });
      const importsBefore = (await world.call('GET', '/v1/imports?limit=200', world.admin)).body.items.length;

      const unnamed = await send('text/csv');
      expect(unnamed.status).toBe(422);
      expect(unnamed.body).toMatchObject({ code: 'BANK_FILE_UNREADABLE', line: 3 });
      expect(unnamed.body.detail).toMatch(/line 3: .*not valid UTF-8.*charset/);
      const unknownCharset = await send('text/csv; charset=klingon');
      expect(unknownCharset.status).toBe(400);
      expect(unknownCharset.body.errors[0].field).toBe('/headers/content-type');
      expect((await world.call('GET', '/v1/imports?limit=200', world.admin)).body.items).toHaveLength(
        importsBefore,
      );

      const named = await send('text/csv; charset=windows-1252');
      expect(named.status, JSON.stringify(named.body)).toBe(202);
      await finished(named.body.id);
      const names = (await paymentsOf(named.body.id)).map((payment) => payment.payerName).sort();
      expect(names).toEqual(['Anna GmbH', 'Müller & Söhne KG']);

      // camt.053 says its encoding in the XML declaration.
      const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Ntry><Amt Ccy="EUR">7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-02-05</Dt></ValDt><AcctSvcrRef>LATIN-${tag}-X</AcctSvcrRef>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Jürgen Weiß</Nm></Dbtr></RltdPties><RmtInf><Ustrd>third</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`;
      const camt = await world.call('POST', '/v1/imports', world.admin, Buffer.from(xml, 'latin1'), {
        'content-type': 'application/xml',
      });
      expect(camt.status, JSON.stringify(camt.body)).toBe(202);
      await finished(camt.body.id);
      expect((await paymentsOf(camt.body.id)).map((payment) => payment.payerName)).toEqual(['Jürgen Weiß']);
    });

    it('should refuse a CSV without a required column, and a body that is not a statement file', async () => {
      const headless = await upload(
        'valueDate,amount,currency,reference\n2026-02-01,1.00,EUR,x\n',
        'text/csv',
      );
      expect(headless.status).toBe(422);
      expect(headless.body).toMatchObject({ code: 'BANK_FILE_UNREADABLE', line: 1 });
      expect(headless.body.detail).toMatch(/lacks the column\(s\) bankReference/);
      const json = await world.call('POST', '/v1/imports', world.admin, { lines: [] });
      expect(json.status).toBe(400);
      expect(json.body.errors[0].field).toBe('/body');
      const plain = await upload('hello', 'text/plain');
      expect(plain.status).toBe(415);
      const reader = await world.token(['billing:payments:read']);
      const forbidden = await world.call('POST', '/v1/imports', reader, 'x', { 'content-type': 'text/csv' });
      expect(forbidden.status).toBe(403);
    });
  },
);
