export type {
  ODataAuth,
  ODataBatchMethod,
  ODataBatchOptions,
  ODataBatchRequest,
  ODataBatchResponse,
  ODataClient,
  ODataClientOptions,
  ODataEntity,
  ODataKey,
  ODataKeyValue,
  ODataMetrics,
  ODataPage,
  ODataQuery,
  ODataVersion,
} from './types.ts';
export {
  ODataAuthError,
  ODataConflictError,
  ODataError,
  ODataNotFoundError,
  ODataProtocolError,
  ODataRefusedError,
  ODataThrottledError,
  ODataTimeoutError,
  ODataUnavailableError,
} from './errors.ts';
export { createODataClient } from './client.ts';
export { createODataMetrics } from './metrics.ts';
export { odataDateLiteral, odataV2DateValue, parseODataDate } from './dates.ts';
export { odataGuid, odataKeyPredicate, odataKeyValueLiteral, odataStringLiteral } from './literals.ts';
