import { useListFilters, type ListFilters } from '../../../ui/useListFilters.ts';

/**
 * A report's inputs kept in the address (so a report can be linked, and comes back on "back"): the list
 * filters' `get(name)` and `set(name, value)`, an empty value removing the parameter.
 */
export function useReportParams(): Pick<ListFilters, 'get' | 'set'> {
  return useListFilters();
}

/** A currency code as typed, when it is one (three letters); else undefined (the API's default). */
export function currencyCode(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
}

/**
 * A report's JSON answer. The reports also answer CSV, so the generated type is "JSON or a string"; asked
 * without `format=csv` the answer is JSON, and a string here means the API answered something unexpected.
 */
export function jsonReport<T extends object>(answer: T | string): T {
  if (typeof answer === 'string') throw new Error('The report came as text, not as JSON.');
  return answer;
}
