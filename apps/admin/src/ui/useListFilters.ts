import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/** A list page's filters and sort as the address's query string keeps them; see {@link useListFilters}. */
export interface ListFilters {
  /** The whole query string, for a page that reads it at once (into an object of its filters). */
  params: URLSearchParams;
  /** The parameter's value as it stands in the address, `''` when it is absent. */
  get: (name: string) => string;
  /** The parameter's value when it is one of `allowed`, else undefined (an unknown value means no filter). */
  oneOf: <T extends string>(name: string, allowed: readonly T[]) => T | undefined;
  /** The parameter's value when `valid` accepts it (a date, an id…), else undefined. */
  valid: (name: string, valid: (value: string) => boolean) => string | undefined;
  /**
   * Sets one parameter, replacing the history entry (a filter typed is not a page to go "back" to); null,
   * undefined or `''` removes it. `onChange` (e.g. a pager's reset) runs first.
   */
  set: (name: string, value: string | null | undefined) => void;
}

/**
 * A list page's filters and sort kept in the address (`?status=active&sort=-createdAt`), so that a filtered
 * list can be linked and comes back on "back": read with `get`, `oneOf` and `valid`, which drop what is
 * unknown, and written with `set`, which drops what is empty. Other parameters in the address stay. Paging:
 * a page whose cursor is keyed by the filters (`usePagedQuery`, or a list keyed by them) starts again at the
 * first page by itself; one with a `useCursorPager` passes `onChange: pager.reset`.
 */
export function useListFilters(options: { onChange?: () => void } = {}): ListFilters {
  const [params, setParams] = useSearchParams();
  const get = (name: string) => params.get(name) ?? '';
  return {
    params,
    get,
    oneOf: (name, allowed) => allowed.find((value) => value === params.get(name)),
    valid: (name, valid) => (valid(get(name)) ? get(name) : undefined),
    set: (name, value) => {
      options.onChange?.();
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      );
    },
  };
}

/**
 * A search box of a list whose term is kept in the address as `name`: `input` is what the box shows (it
 * starts from the address), `value` the term trimmed once typing has paused for `delayMs`. The settled term
 * is written to the address too (through `filters.set`, so a pager is reset), so a search can be bookmarked
 * or shared.
 */
export function useDebouncedFilter(
  filters: ListFilters,
  name: string,
  delayMs = 300,
): { input: string; setInput: (text: string) => void; value: string } {
  const [input, setInput] = useState(filters.get(name));
  const [value] = useDebouncedValue(input.trim(), delayMs);
  useEffect(() => {
    if (filters.get(name) !== value) filters.set(name, value);
    // Only a settled term changes the address.
  }, [value]);
  return { input, setInput, value };
}
