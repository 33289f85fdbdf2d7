/**
 * Exact arithmetic on the decimal strings the API speaks, for the few checks the form makes (a limit, a
 * share of the asset price): each value becomes a BigInt of units of 10^-scale, so nothing passes through a
 * binary float. Inputs are plain decimals (`123`, `123.4567`), as `parseDecimalInput` answers them.
 */
interface Scaled {
  units: bigint;
  scale: number;
}

function scaled(value: string): Scaled {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  const units = BigInt(`${whole}${fraction}` || '0');
  return { units: negative ? -units : units, scale: fraction.length };
}

function toScale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function toText({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? digits.slice(digits.length - scale).replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const difference = toScale(x, scale) - toScale(y, scale);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** `percent` % of `amount`, exactly (a product's limit as money). */
export function percentOf(amount: string, percent: string): string {
  const a = scaled(amount);
  const p = scaled(percent);
  return toText({ units: a.units * p.units, scale: a.scale + p.scale + 2 });
}

/**
 * `value` cut to `decimals` places, towards zero — for showing a maximum: the shown limit never exceeds
 * the real one.
 */
export function truncateDecimal(value: string, decimals: number): string {
  const v = scaled(value);
  if (v.scale <= decimals) return toText(v);
  return toText({ units: v.units / 10n ** BigInt(v.scale - decimals), scale: decimals });
}

/**
 * What a user typed as a decimal, as the API takes it: spaces dropped, a comma read as the decimal
 * separator (as German users write it). Thousands separators are not guessed: an input with two separators
 * is refused (null), and `30.000` is thirty — so the form shows beside a money input the amount it read.
 */
export function parseDecimalInput(input: string): string | null {
  const compact = input.replace(/[\s\u00a0]/g, '');
  if (!/^\d+$/.test(compact) && !/^\d+[.,]\d+$/.test(compact)) return null;
  const normalised = compact.replace(',', '.').replace(/^0+(?=\d)/, '');
  return normalised;
}
