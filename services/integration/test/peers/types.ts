// The peer's control types, shared by the tests' side (index.ts) and the peer's process.

export type PeerService = 'dynamics' | 'sap' | 'accounting';

/** The entity sets the control API can change, read or refuse writes to. */
export type PeerEntity =
  | 'accounts'
  | 'contacts'
  | 'opportunities'
  | 'A_BusinessPartner'
  | 'A_BusinessPartnerAddress'
  | 'A_BusinessPartnerTaxNumber'
  | 'JournalEntries'
  | 'JournalEntryLines';

/** A key: the value of a single-key entity, or every key field of a composite one. */
export type PeerKey = string | Record<string, string>;

/** Answer the next `times` OData requests (of `service`, or of every service) with `status` and `Retry-After`. */
export interface ThrottleRule {
  status: 429 | 503;
  times: number;
  retryAfterSeconds: number;
  service?: PeerService;
}

/**
 * After `pages` more pages (GETs answered 200, $metadata and the service document not counted) the next `times`
 * GETs fail: the connection is destroyed (`reset`, the default) or answered 500 (`status-500`).
 */
export interface FailAfterPagesRule {
  pages: number;
  times: number;
  mode?: 'reset' | 'status-500';
  service?: PeerService;
}

/**
 * Right after the next page of the entity's service is served, change this record (its modified time moves, as
 * any change does). Requests that come after wait for the change.
 */
export interface PeerChange {
  entity: PeerEntity;
  key: PeerKey;
  fields: Record<string, unknown>;
}

/** Refuse writes (create, update, delete, also inside $batch) to the entity — or one record of it — with `status`. */
export interface RefuseWritesRule {
  entity: PeerEntity;
  key?: PeerKey;
  status?: number;
  message?: string;
  /** How many writes to refuse; every one if not given. */
  times?: number;
}

/** One request the peer received (the control API and the v2 adapter's internal call are not logged). */
export interface PeerRequest {
  seq: number;
  at: string;
  service: PeerService | 'token';
  method: string;
  url: string;
  /** 0 when the connection was destroyed (failAfterPages) or closed before an answer. */
  status: number;
  auth: 'none' | 'basic' | 'bearer' | 'other';
  ifMatch: string | null;
  csrfToken: string | null;
}
