import dayjs from 'dayjs';

/** Today as a business date (`YYYY-MM-DD`) in the user's time zone: what "today" means at the desk. */
export function today(): string {
  return dayjs().format('YYYY-MM-DD');
}

/** A business date `days` after `date` (negative: before), by the calendar, no time zone involved. */
export function addDays(date: string, days: number): string {
  return dayjs(date).add(days, 'day').format('YYYY-MM-DD');
}

/** Whether `text` is a business date as the API takes it (`YYYY-MM-DD`, a real day). */
export function isBusinessDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs(text).format('YYYY-MM-DD') === text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * An amount as typed (`1250`, `1250.5`, `1250,50`) as the API's decimal string (`1250.50` stays as typed,
 * only `,` becomes `.`), or null when it is not a plain positive decimal. Thousands separators are refused
 * rather than guessed: `1.250` means 1250 in German and 1.25 in English, and money must not be guessed.
 * Nothing is rounded here: too many decimals for the currency is the API's refusal to make.
 */
export function parseAmountInput(text: string): string | null {
  const parts = text.trim().split(/[.,]/);
  const [whole = '', fraction] = parts;
  if (parts.length > 2 || !/^\d{1,15}$/.test(whole)) return null;
  if (fraction !== undefined && !/^\d{1,6}$/.test(fraction)) return null;
  const amount = fraction === undefined ? whole : `${whole}.${fraction}`;
  return /[1-9]/.test(amount) ? amount : null;
}

/** Whether two decimal strings are the same number (`1.50` and `1.5`), without turning them into floats. */
export function sameDecimal(a: string, b: string): boolean {
  return normalizeDecimal(a) === normalizeDecimal(b);
}

function normalizeDecimal(value: string): string {
  const negative = value.trim().startsWith('-');
  const [whole = '0', fraction = ''] = value.trim().replace(/^[-+]/, '').split('.');
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  const zero = /^0*$/.test(integer) && decimals === '';
  return `${negative && !zero ? '-' : ''}${integer}${decimals ? `.${decimals}` : ''}`;
}

/** Query parameters without the empty ones, so the API sees only the filters that are set. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}

/**
 * For Mantine's Select: no option list in the page while it is closed. Mantine names the list after the
 * input's label, so a list kept mounted makes the label name two elements (and `getByLabel` ambiguous).
 */
export const CLOSED_LIST = { keepMounted: false } as const;
