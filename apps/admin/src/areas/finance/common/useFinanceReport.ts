import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/clients.ts';
import type { paths } from '../../../api/schema/finance.ts';
import { jsonReport } from './params.ts';

/** finance's reports: each answers JSON, or the same report as CSV with `format=csv`. */
export type ReportPath =
  '/v1/trial-balance' | '/v1/receivables' | '/v1/accounts/{code}/statement' | '/v1/accounts/{code}/balances';

/** A report's `path` and `query` parameters, as the generated client types them. */
export type ReportParams<P extends ReportPath> = Pick<paths[P]['get']['parameters'], 'path' | 'query'>;

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** A report's JSON answer. */
export type ReportOf<P extends ReportPath> = Json<paths[P]['get']['responses'][200]>;

/** The CSV answer: openapi-fetch's result read as a blob. */
export type CsvAnswer = { data?: Blob; error?: unknown; response: Response };

/** A report as a page shows it: the JSON `query`, and `fetchCsv` for the same report with the same inputs. */
export interface FinanceReport<P extends ReportPath> {
  query: UseQueryResult<ReportOf<P>>;
  fetchCsv: () => Promise<CsvAnswer>;
}

// The client's GET as the reports use it. openapi-fetch cannot check a call whose path is a type parameter, so
// the parameters' types are checked at the call of useFinanceReport (by ReportParams) instead.
const getReport = api.finance.GET as unknown as (
  path: ReportPath,
  init: { params: { path?: object; query?: object }; parseAs?: 'blob' },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * One of finance's reports with the inputs the page took from the address: the JSON report (the previous one
 * kept on screen while new inputs load), and its CSV export with the very same inputs plus `format=csv`, so
 * the file holds what the table shows. `enabled: false` asks nothing (a report that needs an account first).
 */
export function useFinanceReport<P extends ReportPath>(
  path: P,
  params: ReportParams<P>,
  options: { enabled?: boolean } = {},
): FinanceReport<P> {
  const query = useQuery({
    queryKey: ['finance', 'report', path, params],
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
    queryFn: async () => jsonReport((await unwrap(getReport(path, { params }))) as ReportOf<P> | string),
  });
  return {
    query,
    fetchCsv: () =>
      getReport(path, {
        params: { ...params, query: { ...params.query, format: 'csv' } },
        parseAs: 'blob',
      }) as Promise<CsvAnswer>,
  };
}
