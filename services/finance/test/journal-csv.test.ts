import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinanceDatabase } from '../src/database.ts';
import { EntryRepository } from '../src/entries/entry.repository.ts';
import { paymentReceived, EVENTS } from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

const COLUMNS = [
  'entryId',
  'seq',
  'date',
  'kind',
  'description',
  'sourceEventType',
  'sourceEventId',
  'postingRuleId',
  'reversesEntryId',
  'lineNo',
  'accountCode',
  'accountName',
  'currency',
  'debit',
  'credit',
  'counterpartyId',
  'contractId',
  'createdAt',
  'createdBy',
];

/** RFC 4180, read strictly: quoted fields may hold commas, doubled quotes and line breaks; rows end in CRLF. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  expect(row, 'the file ends with CRLF').toEqual([]);
  expect(field).toBe('');
  const [header, ...body] = rows;
  expect(header).toEqual(COLUMNS);
  for (const cells of body) expect(cells).toHaveLength(COLUMNS.length);
  return body.map((cells) => Object.fromEntries(COLUMNS.map((name, n) => [name, cells[n]!])));
}

/** Debits less credits of each currency across the rows. */
function netByCurrency(rows: Record<string, string>[]): Map<string, string> {
  const net = new Map<string, Decimal>();
  for (const row of rows) {
    const amount = new Decimal(row.debit || '0').minus(row.credit || '0');
    net.set(row.currency!, (net.get(row.currency!) ?? new Decimal(0)).plus(amount));
  }
  return new Map([...net].map(([currency, value]) => [currency, value.toFixed()]));
}

describe.each(financeSetups())('the journal as CSV on $backend with the $broker transport', (setup) => {
  let world: FinanceWorld;
  /** A user who may do anything in finance. */
  let admin: string;
  const QUOTED = 'Deposit, "as agreed"\non two lines';
  const ids: Record<string, string> = {};
  let paymentEventId: string;

  async function post(description: string, date: string, lines: [string, 'debit' | 'credit', string][]) {
    const answer = await world.call('POST', '/v1/entries', admin, {
      description,
      date,
      lines: lines.map(([accountCode, side, amount]) => ({ accountCode, side, amount })),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  }

  const csv = (query: string, headers: Record<string, string> = {}) =>
    world.call('GET', `/v1/entries?${query}`, admin, undefined, headers);

  beforeAll(async () => {
    world = await startFinance(setup);
    admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
    ids.opening = await post('Opening capital', '2026-01-15', [
      ['1000', 'debit', '1234.50'],
      ['3000', 'credit', '1234.50'],
    ]);
    ids.quoted = await post(QUOTED, '2026-02-10', [
      ['1000', 'debit', '99.99'],
      ['2200', 'credit', '99.99'],
    ]);
    // Amounts as given, not as the currency writes them: the ledger keeps `500` and `10.125` as they are.
    ids.split = await post('Fees and receivables', '2026-03-05', [
      ['1100', 'debit', '500'],
      ['1100', 'debit', '10.125'],
      ['4100', 'credit', '510.125'],
    ]);
    const payment = paymentReceived(null, '42.00', '2026-04-01');
    const envelope = await world.publish(EVENTS.paymentReceived, payment);
    await world.handled(envelope);
    paymentEventId = envelope.id;
    ids.payment = (
      await world.call('GET', `/v1/entries?sourceEventId=${envelope.id}`, admin)
    ).body.items[0].id;
    ids.reversal = (
      await world.call('POST', `/v1/entries/${ids.opening}/reverse`, admin, { date: '2026-05-02' })
    ).body.id as string;
    // More entries than the list's default page of 50: the CSV holds them all.
    for (let n = 0; n < 55; n++) {
      await post(`Transfer ${n}`, '2026-06-01', [
        ['1000', 'debit', '1.00'],
        ['3000', 'credit', '1.00'],
      ]);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  it('should write a header and one row per line of every entry, in the list’s order, beyond one page', async () => {
    const answer = await csv('format=csv');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="journal-LESSOR.csv"');
    const rows = parseCsv(answer.body);

    const listed: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: any = (await world.call('GET', `/v1/entries?limit=20${query}`, admin)).body;
      listed.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed).toHaveLength(60);
    const lines = listed.flatMap((entry) => entry.lines.map((line: any) => ({ entry, line })));
    expect(rows).toHaveLength(lines.length);
    rows.forEach((row, n) => {
      const { entry, line } = lines[n]!;
      expect(row).toMatchObject({
        entryId: entry.id,
        seq: entry.seq,
        date: entry.date,
        kind: entry.kind,
        description: entry.description,
        lineNo: String(line.lineNo),
        accountCode: line.accountCode,
        accountName: line.accountName,
        currency: line.amount.currency,
        createdAt: entry.createdAt,
        createdBy: entry.createdBy,
      });
      const [shown, empty] = line.side === 'debit' ? [row.debit, row.credit] : [row.credit, row.debit];
      expect(new Decimal(shown!).equals(line.amount.amount)).toBe(true);
      expect(empty).toBe('');
    });

    // Exactly as stored: not padded to the currency's decimals, not rounded.
    expect(rows.filter((row) => row.entryId === ids.split).map((row) => [row.debit, row.credit])).toEqual([
      ['500', ''],
      ['10.125', ''],
      ['', '510.125'],
    ]);
    const payment = rows.filter((row) => row.sourceEventId === paymentEventId);
    expect(
      payment.map((row) => [row.sourceEventType, row.kind, row.accountCode, row.debit, row.credit]),
    ).toEqual([
      ['lessor.billing.payment.received.v1', 'event', '1000', '42.00', ''],
      ['lessor.billing.payment.received.v1', 'event', '2900', '', '42.00'],
    ]);
    expect(payment[0]!.postingRuleId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows.find((row) => row.entryId === ids.reversal)).toMatchObject({
      kind: 'reversal',
      reversesEntryId: ids.opening,
    });
  });

  it('should balance: debits equal credits in each currency across the file', async () => {
    const rows = parseCsv((await csv('format=csv')).body);
    expect(netByCurrency(rows)).toEqual(new Map([['EUR', '0']]));
    const debits = rows.reduce((sum, row) => sum.plus(row.debit || '0'), new Decimal(0));
    // 1234.50 + 99.99 + 510.125 + 42.00 + 1234.50 (the reversal) + 55 × 1.00
    expect(debits.toFixed()).toBe('3176.115');
  });

  it('should apply the list’s filters: account, date range, kind and sort', async () => {
    // An entry with a line on the account, shown with all its lines (so the file still balances).
    const byAccount = await csv('format=csv&accountCode=1100');
    expect(parseCsv(byAccount.body).map((row) => [row.entryId, row.accountCode])).toEqual([
      [ids.split, '1100'],
      [ids.split, '1100'],
      [ids.split, '4100'],
    ]);

    const range = await csv('accountCode=1000&from=2026-02-01&to=2026-05-31&sort=entryDate', {
      accept: 'text/csv',
    });
    expect(range.headers['content-disposition']).toBe(
      'attachment; filename="journal-LESSOR-from-2026-02-01-to-2026-05-31.csv"',
    );
    const ranged = parseCsv(range.body);
    expect([...new Set(ranged.map((row) => row.entryId))]).toEqual([ids.quoted, ids.payment, ids.reversal]);
    expect(ranged.map((row) => row.date)).toEqual([
      '2026-02-10',
      '2026-02-10',
      '2026-04-01',
      '2026-04-01',
      '2026-05-02',
      '2026-05-02',
    ]);
    expect(netByCurrency(ranged)).toEqual(new Map([['EUR', '0']]));

    const fromEvents = parseCsv((await csv('format=csv&kind=event')).body);
    expect(fromEvents.map((row) => row.entryId)).toEqual([ids.payment, ids.payment]);

    // Nothing matches: the header alone.
    const none = await csv('format=csv&from=2027-01-01');
    expect(none.status).toBe(200);
    expect(none.body).toBe(`${COLUMNS.join(',')}\r\n`);

    // format=json wins over the Accept header.
    const json = await csv('format=json&limit=1', { accept: 'text/csv' });
    expect(json.body.items).toHaveLength(1);
  });

  it('should quote a description with a comma, quotes and a line break (RFC 4180)', async () => {
    const answer = await csv('format=csv&from=2026-02-10&to=2026-02-10');
    expect(answer.body).toContain(',"Deposit, ""as agreed""\non two lines",');
    expect(parseCsv(answer.body).map((row) => row.description)).toEqual([QUOTED, QUOTED]);
  });

  it('should need finance:entries:read: 401 without a token, 403 without the permission', async () => {
    const anonymous = await world.app.inject({ method: 'GET', url: '/v1/entries?format=csv' });
    expect(anonymous.statusCode).toBe(401);
    const reportsOnly = await csv('format=csv', {
      authorization: `Bearer ${await world.token(['finance:reports:read'])}`,
    });
    expect(reportsOnly.status).toBe(403);
    expect(reportsOnly.headers['content-type']).toContain('application/problem+json');
    const reader = await csv('format=csv', {
      authorization: `Bearer ${await world.token(['finance:entries:read'])}`,
    });
    expect(reader.status).toBe(200);
  });

  it('should refuse a bad filter with a problem naming the field', async () => {
    for (const [query, field] of [
      ['format=csv&from=15.01.2026', '/query/from'],
      ['format=csv&accountCode=no%20such%20code', '/query/accountCode'],
      ['format=csv&kind=bonus', '/query/kind'],
      ['format=xlsx', '/query/format'],
      ['format=csv&contractId=42', '/query/contractId'],
    ] as const) {
      const answer = await csv(query, { accept: 'text/csv' });
      expect(answer.status, query).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
    }
  });

  it('should read page by page, without holding the database between pages, and stop at the entries it began with', async () => {
    const entries = new EntryRepository(world.database.db as Kysely<FinanceDatabase>);
    const before = (await world.call('GET', '/v1/entries?limit=200', admin)).body.items.length;
    const pages: string[][] = [];
    let late: string | undefined;
    for await (const page of entries.allMatching('LESSOR', { sort: 'seq' }, 7)) {
      pages.push(page.map((posted) => posted.entry.id));
      expect(page.every((posted) => posted.lines.length >= 2)).toBe(true);
      // Posted between two pages (embedded, this would wait forever if the export held the connection).
      late ??= await post('Posted during the export', '2026-06-02', [
        ['1000', 'debit', '2.00'],
        ['3000', 'credit', '2.00'],
      ]);
    }
    expect(pages.every((page) => page.length <= 7)).toBe(true);
    expect(pages.length).toBe(Math.ceil(before / 7));
    const read = pages.flat();
    expect(new Set(read).size).toBe(before);
    expect(read).not.toContain(late);
    expect(read[0]).toBe(ids.opening);
  });
});
