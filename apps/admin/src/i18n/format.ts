import { i18n } from './i18n.ts';

/**
 * The locale dates and numbers are written in: the browser's own when it speaks the chosen language
 * (en-US, en-GB, de-AT…), else the language's usual one.
 */
export function formatLocale(): string {
  const language = i18n.language || 'en';
  const browser = typeof navigator === 'undefined' ? '' : navigator.language;
  if (browser.split('-')[0] === language) return browser;
  return language === 'de' ? 'de-DE' : 'en-GB';
}

/**
 * A money amount as the API gives it (a decimal string) in the user's locale. The string goes to Intl as it is
 * (Intl.NumberFormat formats decimal strings exactly; it is never turned into a JavaScript number), with the
 * currency's own number of decimals; amounts are never rounded here beyond what the API sent.
 */
export function formatMoney(
  amount: string | null | undefined,
  currency: string,
  locale = formatLocale(),
): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(amount as Intl.StringNumericLiteral);
}

/** `{amount, currency}` as the services answer money. */
export function formatMoneyValue(money: { amount: string; currency: string } | null | undefined): string {
  return money ? formatMoney(money.amount, money.currency) : '—';
}

/** A decimal string (a rate, a quantity) in the user's locale, exactly as given. */
export function formatDecimal(value: string | null | undefined, locale = formatLocale()): string {
  if (value === null || value === undefined || value === '') return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 20 }).format(
    value as Intl.StringNumericLiteral,
  );
}

/** A business date (`YYYY-MM-DD`, no time zone) in the user's locale. */
export function formatDate(date: string | null | undefined, locale = formatLocale()): string {
  if (!date) return '—';
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A moment (ISO timestamp, UTC) in the user's locale and time zone. */
export function formatDateTime(iso: string | null | undefined, locale = formatLocale()): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
