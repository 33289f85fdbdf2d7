import { randomBytes } from 'node:crypto';

/** W3C Trace Context (https://www.w3.org/TR/trace-context/): what a request carries to the next hop. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
  /** The `traceparent` header value for this hop. */
  traceparent: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Continues the caller's trace when it sent a valid `traceparent`, else starts a new one. Either way this
 * hop gets its own span id, so a log line can tell the gateway's span from the service's.
 */
export function continueTrace(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  const traceId = match && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN ? match[1]! : randomHex(16);
  const flags = match ? match[3]! : '01';
  const spanId = randomHex(8);
  return { traceId, spanId, flags, traceparent: `00-${traceId}-${spanId}-${flags}` };
}

/**
 * Random bytes from the CSPRNG, drawn 4 KiB at a time: a `randomBytes` call (and its Buffer) per id was a
 * measurable part of a request's CPU in every service it crossed (issue 13). Each byte is handed out once.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  // An all-zero id is invalid in W3C Trace Context; 2^-64 at worst, but never sent.
  return hex === ZERO_TRACE || hex === ZERO_SPAN ? randomHex(bytes) : hex;
}
