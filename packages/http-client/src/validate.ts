/** Throws a `RangeError` naming the option unless `value` is a positive (or, when allowed, zero) finite number. */
export function requirePositive(name: string, value: number, zeroAllowed = false): void {
  if (!(zeroAllowed ? value >= 0 : value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} finite number`);
}

/** Throws a `RangeError` naming the option unless `value` is a whole number of at least 1. */
export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
}
