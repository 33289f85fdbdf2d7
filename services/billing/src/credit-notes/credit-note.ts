// Credit notes as values: which lines of an invoice a request credits and by how much, what that is per part
// of the invoice, and how much of it settles the invoice. Pure: the service locks the invoice, asks here, and
// writes what this answers. Nothing is computed that needs rounding: every amount is a line's amount, a part
// of it given by the caller (checked against the currency's decimals), or a sum or difference of those.
import type { ComponentAmounts } from '../allocations/allocation.ts';
import type { InvoiceBalance, LineKind } from '../invoices/invoice.ts';
import { D, minorUnits, sum, ZERO } from '@lessor/domain-values';

/** An invoice line and what earlier credit notes took off it. */
export interface CreditableLine {
  position: number;
  kind: LineKind;
  description: string;
  amount: string;
  credited: string;
}

/** What the caller asks to credit: a line, and an amount of it (all that is left when omitted). */
export interface RequestedLine {
  position: number;
  amount?: string;
}

/** One line of a credit note: the invoice line it credits and by how much. */
export interface CreditLine {
  invoiceLine: number;
  kind: LineKind;
  description: string;
  amount: string;
}

/**
 * A refusal of one requested line. `input`: the amount cannot be an amount of this currency (a bad request);
 * `invoice`: the line or the amount does not fit the invoice as it stands.
 */
export interface CreditProblem {
  field: string;
  message: string;
  kind: 'input' | 'invoice';
}

const left = (line: CreditableLine) => new D(line.amount).minus(line.credited);

/**
 * The lines a credit note takes: every line with something left when `requested` is undefined (a full
 * credit), else the requested ones. Every problem is reported, each naming its field (`/body/lines/1/amount`).
 */
export function creditLines(
  invoiceLines: readonly CreditableLine[],
  requested: readonly RequestedLine[] | undefined,
  currency: string,
): { lines: CreditLine[]; problems: CreditProblem[] } {
  const line = (source: CreditableLine, amount: string): CreditLine => ({
    invoiceLine: source.position,
    kind: source.kind,
    description: source.description,
    amount,
  });
  if (requested === undefined) {
    return {
      lines: invoiceLines
        .filter((source) => left(source).gt(0))
        .map((source) => line(source, left(source).toString())),
      problems: [],
    };
  }
  const byPosition = new Map(invoiceLines.map((source) => [source.position, source]));
  const seen = new Set<number>();
  const lines: CreditLine[] = [];
  const problems: CreditProblem[] = [];
  requested.forEach((wanted, index) => {
    const at = `/body/lines/${index}`;
    const source = byPosition.get(wanted.position);
    if (!source) {
      problems.push({
        field: `${at}/position`,
        message: `the invoice has no line ${wanted.position} (its lines are ${[...byPosition.keys()].join(', ')})`,
        kind: 'invoice',
      });
      return;
    }
    if (seen.has(wanted.position)) {
      problems.push({
        field: `${at}/position`,
        message: `line ${wanted.position} is named twice; give it once with the whole amount`,
        kind: 'invoice',
      });
      return;
    }
    seen.add(wanted.position);
    const available = left(source);
    if (available.lte(0)) {
      problems.push({
        field: `${at}/position`,
        message: `line ${wanted.position} is credited in full already`,
        kind: 'invoice',
      });
      return;
    }
    if (wanted.amount === undefined) {
      lines.push(line(source, available.toString()));
      return;
    }
    const amount = new D(wanted.amount);
    if (amount.lte(0)) {
      problems.push({ field: `${at}/amount`, message: 'must be greater than zero', kind: 'input' });
    } else if (amount.decimalPlaces() > minorUnits(currency)) {
      problems.push({
        field: `${at}/amount`,
        message: `has more than ${minorUnits(currency)} decimals for ${currency}`,
        kind: 'input',
      });
    } else if (amount.gt(available)) {
      problems.push({
        field: `${at}/amount`,
        message: `only ${available.toFixed(minorUnits(currency))} of line ${wanted.position} is left to credit`,
        kind: 'invoice',
      });
    } else {
      lines.push(line(source, amount.toString()));
    }
  });
  return { lines: problems.length > 0 ? [] : lines, problems };
}

/** The credit per part of the invoice: principal, interest, fees, VAT (a credit note has no penalty part). */
export function creditedParts(lines: readonly CreditLine[]): ComponentAmounts {
  const of = (kind: LineKind) => sum(lines.filter((line) => line.kind === kind).map((line) => line.amount));
  return {
    penalty: ZERO,
    principal: of('principal'),
    interest: of('interest'),
    fees: of('fee'),
    vat: of('vat'),
  };
}

/**
 * What of the credit settles the invoice: each part up to what the invoice still asks for it. A part the client
 * has paid already cannot be settled again: that much becomes the client's credit instead.
 */
export function appliedToInvoice(credited: ComponentAmounts, open: InvoiceBalance): ComponentAmounts {
  const part = (component: keyof ComponentAmounts) =>
    D.max(ZERO, D.min(credited[component], open[component]));
  return {
    penalty: ZERO,
    principal: part('principal'),
    interest: part('interest'),
    fees: part('fees'),
    vat: part('vat'),
  };
}

/** `CN-LESSOR-2026-000003`: per legal entity and year of issue, without gaps, apart from the invoices'. */
export function creditNoteNumber(legalEntity: string, year: number, sequence: number): string {
  return `CN-${legalEntity}-${year}-${String(sequence).padStart(6, '0')}`;
}
