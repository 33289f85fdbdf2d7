import { describe, expect, it } from 'vitest';
import { BankFileError } from './bank-statement.ts';
import { readCamt053Statement } from './camt053-statement.ts';

const statement = (entries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-02T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-03-01</Id>
${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;

const entry = (body: string) => `      <Ntry>
${body}
      </Ntry>`;

describe('readCamt053Statement', () => {
  it('should read a credit entry with the structured reference, the unstructured one, and the line of its tag', () => {
    const lines = readCamt053Statement(
      statement(
        [
          entry(`        <Amt Ccy="EUR">0100.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>BANK-1</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>Muster GmbH</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf><Strd><CdtrRefInf><Ref>LCLESSOR202600004217</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>`),
          entry(`        <Amt Ccy="EUR">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><DtTm>2026-03-02T10:00:00</DtTm></ValDt><NtryRef>7</NtryRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>Rate 3</Ustrd><Ustrd>LC-LESSOR</Ustrd></RmtInf></TxDtls></NtryDtls>`),
        ].join('\n'),
      ),
    );
    expect(lines).toEqual([
      {
        entry: 1,
        line: 7,
        outcome: {
          payment: {
            valueDate: '2026-03-01',
            amount: '0100.50',
            currency: 'EUR',
            reference: 'LCLESSOR202600004217',
            bankReference: 'BANK-1',
            payerName: 'Muster GmbH',
            payerAccount: 'DE89370400440532013000',
          },
        },
      },
      {
        entry: 2,
        line: 15,
        outcome: {
          payment: {
            valueDate: '2026-03-02',
            amount: '20.00',
            currency: 'EUR',
            reference: 'Rate 3 LC-LESSOR',
            bankReference: 'STMT-2026-03-01/7',
            payerName: null,
            payerAccount: null,
          },
        },
      },
    ]);
  });

  it('should split a batch entry into its transactions, skip debits and refuse an entry without an amount', () => {
    const lines = readCamt053Statement(
      statement(
        [
          entry(`        <Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>BATCH</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><Refs><AcctSvcrRef>TX-A</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>A</Ustrd></RmtInf></TxDtls>
          <TxDtls><Amt Ccy="EUR">20.00</Amt><RmtInf><Ustrd>B</Ustrd></RmtInf></TxDtls>
        </NtryDtls>`),
          entry(
            `        <Amt Ccy="EUR">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>OUT</AcctSvcrRef>`,
          ),
          entry(
            `        <CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-03-01</Dt></ValDt><AcctSvcrRef>NOAMT</AcctSvcrRef>`,
          ),
        ].join('\n'),
      ),
    );
    expect(
      lines.map((line) => [
        line.entry,
        line.line,
        'payment' in line.outcome
          ? `${line.outcome.payment.amount} ${line.outcome.payment.bankReference} ${line.outcome.payment.reference}`
          : Object.values(line.outcome)[0],
      ]),
    ).toEqual([
      [1, 10, '10.00 TX-A A'],
      [2, 11, '20.00 BATCH/2 B'],
      [3, 14, 'a debit entry (money out), not a payment received'],
      [4, 17, 'the entry has no Amt with a Ccy'],
    ]);
  });

  it('should refuse the whole file, naming the line, when the XML is not well-formed', () => {
    const broken = statement(entry('        <Amt Ccy="EUR">10.00</Amx>'));
    expect(() => readCamt053Statement(broken)).toThrow(BankFileError);
    try {
      readCamt053Statement(broken);
    } catch (error) {
      expect((error as BankFileError).line).toBe(8);
      expect((error as Error).message).toMatch(/Not well-formed XML/);
    }
  });

  it('should refuse a file that is not a camt.053 statement or has a DOCTYPE', () => {
    expect(() => readCamt053Statement('<Document><Other/></Document>')).toThrow(/no Document\/BkToCstmrStmt/);
    expect(() => readCamt053Statement('<!DOCTYPE x [<!ENTITY a "b">]><Document/>')).toThrow(/DOCTYPE/);
  });
});
