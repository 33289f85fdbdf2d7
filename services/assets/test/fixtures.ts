/** The day the tests live on: insurance cover and the latest model year (2027) are judged from it. */
export const TODAY = new Date('2026-06-15T10:00:00.000Z');

/** assets' options in tests: its clock stands on {@link TODAY}. */
export const onToday = { clock: () => TODAY };

/** A car that passes every rule; tests change one field at a time. */
export function aCar(overrides: Record<string, unknown> = {}) {
  return {
    type: 'car',
    make: 'Volkswagen',
    model: 'Golf 1.5 TSI',
    vin: uniqueVin(),
    year: 2025,
    price: { amount: '28990.00', currency: 'EUR' },
    locationText: 'Depot Berlin-Spandau',
    ...overrides,
  };
}

let vinCounter = 0;
/** A fresh valid VIN per call (ISO 3779 alphabet), so tests do not collide on the unique index. */
export function uniqueVin(): string {
  vinCounter += 1;
  return `WVWZZZ1KZAW${String(vinCounter).padStart(6, '0')}`;
}

/** A fresh serial number per call. */
export function uniqueSerial(): string {
  vinCounter += 1;
  return `SN-${Date.now().toString(36).toUpperCase()}-${vinCounter}`;
}
