import { useSearchParams } from 'react-router';

/**
 * A report's inputs kept in the address (so a report can be linked, and comes back on "back"): `get(name)`
 * and `set(name, value)`, an empty value removing the parameter.
 */
export function useReportParams(): {
  get: (name: string) => string;
  set: (name: string, value: string | null | undefined) => void;
} {
  const [params, setParams] = useSearchParams();
  return {
    get: (name) => params.get(name) ?? '',
    set: (name, value) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
  };
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
