import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BankFileError, checked, type ReceivedPayment, type StatementLine } from './bank-statement.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Every value stays the text the bank wrote: "0100.50" must not become the number 100.5.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd'].includes(name),
});

/**
 * Reads an ISO 20022 camt.053 bank-to-customer statement (any version: namespaces are ignored). Each
 * credit entry (`Ntry` with `CdtDbtInd` CRDT) is a payment: `Amt` with its `Ccy`, `ValDt/Dt`, the
 * reference from `NtryDtls/TxDtls/RmtInf/Strd/CdtrRefInf/Ref` or else the `Ustrd` texts, and the bank's
 * reference `AcctSvcrRef`. A batch entry whose several `TxDtls` carry their own amounts gives one payment
 * per transaction. Debit and pending entries are skipped. Throws BankFileError for a file that is not
 * well-formed XML (with the line), has a DOCTYPE, or is not a camt.053 statement.
 */
export function readCamt053Statement(xml: string): StatementLine[] {
  const text = xml.replace(/^\uFEFF/, '');
  // No bank sends a DOCTYPE; refusing it rules out entity expansion tricks.
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype)
    throw new BankFileError('A DOCTYPE is not allowed in a bank statement', lineAt(text, doctype.index));
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new BankFileError(`Not well-formed XML: ${valid.err.msg}`, valid.err.line);
  const document = parser.parse(text) as unknown;
  const statement = at(document, 'Document', 'BkToCstmrStmt');
  if (statement === undefined)
    throw new BankFileError('Not a camt.053 statement: there is no Document/BkToCstmrStmt');

  // The parser keeps no positions: the n-th entry (and transaction) tag of the text is the n-th one parsed.
  const entryLines = tagLines(text, 'Ntry');
  const transactionLines = tagLines(text, 'TxDtls');
  let entryIndex = 0;
  let transactionIndex = 0;
  const result: StatementLine[] = [];
  const push = (line: number, outcome: StatementLine['outcome']) =>
    result.push({ entry: result.length + 1, line, outcome });

  for (const stmt of list(at(statement, 'Stmt'))) {
    const statementId = textOf(at(stmt, 'Id'));
    for (const [position, ntry] of list(at(stmt, 'Ntry')).entries()) {
      const line = entryLines[entryIndex] ?? 0;
      entryIndex += 1;
      const transactions = list(at(ntry, 'NtryDtls')).flatMap((details) => list(at(details, 'TxDtls')));
      const firstTransaction = transactionIndex;
      transactionIndex += transactions.length;

      const direction = textOf(at(ntry, 'CdtDbtInd'));
      if (direction === 'DBIT') {
        push(line, { skipped: 'a debit entry (money out), not a payment received' });
        continue;
      }
      if (direction !== 'CRDT') {
        push(line, {
          refused: `CdtDbtInd is ${direction ? JSON.stringify(direction) : 'missing'}, not CRDT`,
        });
        continue;
      }
      const status = textOf(at(ntry, 'Sts', 'Cd')) ?? textOf(at(ntry, 'Sts'));
      if (status !== undefined && status !== 'BOOK') {
        push(line, { skipped: `the entry is not booked (status ${status})` });
        continue;
      }
      const entryAmount = amountOf(at(ntry, 'Amt'));
      if (!entryAmount) {
        push(line, { refused: 'the entry has no Amt with a Ccy' });
        continue;
      }
      const valueDate = (textOf(at(ntry, 'ValDt', 'Dt')) ?? textOf(at(ntry, 'ValDt', 'DtTm')) ?? '').slice(
        0,
        10,
      );
      const entryReference =
        textOf(at(ntry, 'AcctSvcrRef')) ??
        (statementId ? `${statementId}/${textOf(at(ntry, 'NtryRef')) ?? position + 1}` : '');

      const split =
        transactions.length > 1 && transactions.every((tx) => transactionAmount(tx) !== undefined);
      if (split) {
        for (const [k, tx] of transactions.entries()) {
          const amount = transactionAmount(tx)!;
          push(
            transactionLines[firstTransaction + k] ?? line,
            checked({
              valueDate,
              amount: amount.amount,
              currency: amount.currency,
              reference: referenceOf(tx),
              bankReference:
                textOf(at(tx, 'Refs', 'AcctSvcrRef')) ?? (entryReference ? `${entryReference}/${k + 1}` : ''),
              ...payerOf(tx),
            }),
          );
        }
        continue;
      }
      const tx = transactions[0];
      const payment: ReceivedPayment = {
        valueDate,
        amount: entryAmount.amount,
        currency: entryAmount.currency,
        reference: tx ? referenceOf(tx) : '',
        bankReference: entryReference || (tx ? (textOf(at(tx, 'Refs', 'AcctSvcrRef')) ?? '') : ''),
        ...(tx ? payerOf(tx) : { payerName: null, payerAccount: null }),
      };
      push(line, checked(payment));
    }
  }
  return result;
}

/** The structured creditor reference, else the unstructured remittance texts joined. */
function referenceOf(tx: unknown): string {
  for (const structured of list(at(tx, 'RmtInf', 'Strd'))) {
    const reference = textOf(at(structured, 'CdtrRefInf', 'Ref'));
    if (reference) return reference.trim();
  }
  return list(at(tx, 'RmtInf', 'Ustrd'))
    .map((item) => textOf(item) ?? '')
    .join(' ')
    .trim();
}

function payerOf(tx: unknown): { payerName: string | null; payerAccount: string | null } {
  const parties = at(tx, 'RltdPties');
  return {
    payerName: textOf(at(parties, 'Dbtr', 'Nm')) ?? textOf(at(parties, 'Dbtr', 'Pty', 'Nm')) ?? null,
    payerAccount:
      textOf(at(parties, 'DbtrAcct', 'Id', 'IBAN')) ??
      textOf(at(parties, 'DbtrAcct', 'Id', 'Othr', 'Id')) ??
      null,
  };
}

function transactionAmount(tx: unknown): { amount: string; currency: string } | undefined {
  return amountOf(at(tx, 'Amt')) ?? amountOf(at(tx, 'AmtDtls', 'TxAmt', 'Amt'));
}

function amountOf(node: unknown): { amount: string; currency: string } | undefined {
  const amount = textOf(node);
  const currency =
    typeof node === 'object' && node !== null ? (node as Record<string, unknown>)['@Ccy'] : undefined;
  if (amount === undefined || typeof currency !== 'string') return undefined;
  return { amount: amount.trim(), currency: currency.trim() };
}

function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (Array.isArray(current)) current = current[0];
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function list(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (
    typeof node === 'object' &&
    node !== null &&
    typeof (node as Record<string, unknown>)['#text'] === 'string'
  )
    return (node as Record<string, string>)['#text'];
  return undefined;
}

// Opening tags with any namespace prefix; the name is checked after the match (`<Ntry>`, not `<NtryDtls>`).
const TAG_PATTERNS = {
  Ntry: /<[\w.:-]*Ntry[\s>/]/g,
  TxDtls: /<[\w.:-]*TxDtls[\s>/]/g,
} as const;

/** The line of each opening tag, in document order. */
function tagLines(text: string, tag: keyof typeof TAG_PATTERNS): number[] {
  const lines: number[] = [];
  let line = 1;
  let scanned = 0;
  for (const match of text.matchAll(TAG_PATTERNS[tag])) {
    const name = match[0].slice(1, -1);
    if (name !== tag && !name.endsWith(`:${tag}`)) continue;
    for (let index = scanned; index < match.index; index += 1) if (text.charCodeAt(index) === 10) line += 1;
    scanned = match.index;
    lines.push(line);
  }
  return lines;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
