import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { ODataError } from './errors.ts';

/** The protocol version a service root speaks. */
export type ODataVersion = 'v2' | 'v4';

/** How the client authenticates; secrets arrive decrypted and are never logged. */
export type ODataAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth2';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /**
       * How the client authenticates to the token endpoint: `body` (client_id and client_secret in the form, the
       * default — Microsoft Entra ID, Dynamics' issuer, takes only this) or `basic` (RFC 6749 §2.3.1).
       */
      clientAuth?: 'body' | 'basic';
    };

/** The metric every outbound call records (`createODataMetrics`). */
export interface ODataMetrics {
  outboundSeconds: Histogram<'connector' | 'operation' | 'outcome'>;
}

export interface ODataClientOptions {
  version: ODataVersion;
  /** The service root, e.g. `https://crm.example.com/api/data/v9.2/`; a trailing '/' is added when missing. */
  serviceRoot: string;
  auth: ODataAuth;
  /** The connector's name or id: the metric's `connector` label. */
  connector: string;
  /** The deadline of one operation, its retries included. */
  deadlineMs: number;
  /** Attempts of one request (first included); 429/503 honour Retry-After. Default 4. */
  maxAttempts?: number;
  metrics: ODataMetrics;
  log: Logger;
  /** Rows per page asked of the server (`Prefer: odata.maxpagesize` on v4); the server may choose fewer. */
  pageSize?: number;
  /** Base delay of the retries' exponential backoff with full jitter. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** The longest wait a Retry-After may impose before the client gives up instead. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Whether writes fetch and send an `x-csrf-token` (with the session cookie). Default: v2 yes, v4 no. */
  csrf?: boolean;
  /** The v2 update method: MERGE (default, as SAP Gateway) or PATCH. v4 always PATCH. */
  v2UpdateMethod?: 'MERGE' | 'PATCH';
}

export interface ODataQuery {
  select?: string[];
  filter?: string;
  orderby?: string;
  top?: number;
  skip?: number;
  /** v4 `$count=true`, v2 `$inlinecount=allpages`. */
  count?: boolean;
  expand?: string[];
}

export interface ODataPage {
  records: Record<string, unknown>[];
  /** The total the server counted (`$count`/`$inlinecount`), null when not asked or not given. */
  count: number | null;
  /** The next page's link, absolute, checked to be on the service root's origin; null on the last page. */
  nextLink: string | null;
}

/**
 * One key value: a string (quoted, `'A1'`), a safe integer (`42`), or a GUID (`odataGuid(id)`: bare in v4 as
 * Dynamics' ids, `guid'…'` in v2).
 */
export type ODataKeyValue = string | number | { guid: string };
/** An entity's key: one value, or a compound key by property name (`{ BusinessPartner: '1', AddressID: '7' }`). */
export type ODataKey = ODataKeyValue | Record<string, ODataKeyValue>;

export interface ODataEntity {
  record: Record<string, unknown>;
  etag: string | null;
}

export type ODataBatchMethod = 'POST' | 'PATCH' | 'MERGE' | 'PUT' | 'DELETE';

/** One write of a `$batch`. */
export interface ODataBatchRequest {
  method: ODataBatchMethod;
  entitySet: string;
  /** The entity's key; absent for a POST to the collection. */
  key?: ODataKey;
  body?: Record<string, unknown>;
  /** Sent as If-Match. */
  etag?: string;
}

/** The answer to one write of a `$batch`, in the order of the requests. */
export interface ODataBatchResponse {
  status: number;
  record: Record<string, unknown> | null;
  etag: string | null;
  /** Set when this write (or, atomic, its changeset) failed. */
  error: ODataError | null;
}

export interface ODataBatchOptions {
  /** One changeset (all or nothing; the default) or one changeset per write (each stands alone). */
  atomic?: boolean;
}

export interface ODataClient {
  readonly version: ODataVersion;
  readonly serviceRoot: string;
  /** The first page of a query. */
  page(entitySet: string, query: ODataQuery): Promise<ODataPage>;
  /** A following page; the link must be on the service root's origin (else an `ODataProtocolError`). */
  next(nextLink: string): Promise<ODataPage>;
  /** Every page, following the server's next links. */
  pages(entitySet: string, query: ODataQuery): AsyncIterable<ODataPage>;
  get(entitySet: string, key: ODataKey, query?: Pick<ODataQuery, 'select' | 'expand'>): Promise<ODataEntity>;
  create(entitySet: string, body: Record<string, unknown>): Promise<ODataEntity>;
  /** v4 PATCH, v2 MERGE; If-Match with the etag given (a stale one: `ODataConflictError`). */
  update(
    entitySet: string,
    key: ODataKey,
    body: Record<string, unknown>,
    options?: { etag?: string },
  ): Promise<{ etag: string | null }>;
  /** Writes in one `$batch` request (multipart/mixed, changesets). */
  batch(requests: ODataBatchRequest[], options?: ODataBatchOptions): Promise<ODataBatchResponse[]>;
  /** The connection test: `$metadata`, authenticated. */
  ping(): Promise<{ status: number; durationMs: number }>;
  close(): void;
}
