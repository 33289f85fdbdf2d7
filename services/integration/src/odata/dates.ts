import { ODataProtocolError } from './errors.ts';
import type { ODataVersion } from './types.ts';

// v2 JSON: "/Date(<ms since 1970 UTC>[+|-<offset in minutes, 4 digits>])/". The ms are the instant; the offset
// only says in which zone the server saw it (SAP sends +0000; .NET the local one).
const V2_DATE = /^\/Date\((-?\d{1,15})\)\/$/;
const V2_DATE_WITH_OFFSET = /^\/Date\((-?\d{1,15})([+-])(\d{4})\)\/$/;
// ISO 8601 / RFC 3339 as OData writes it, taken apart piece by piece (one pattern with optional parts would be
// a regular expression the lint cannot prove safe): a date, then a time of minutes, seconds or fractions (up to
// 7 digits: .NET ticks), then Z, ±hh:mm or nothing (Edm.DateTime: UTC).
const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PARTS = [
  /^(\d{2}):(\d{2})$/,
  /^(\d{2}):(\d{2}):(\d{2})$/,
  /^(\d{2}):(\d{2}):(\d{2})\.(\d{1,12})$/,
];
const ZONE_OFFSET = /[+-]\d{2}:\d{2}$/;

/**
 * The instant an OData date value stands for: `/Date(1700000000000+0060)/` (v2; the offset in minutes does not
 * move the instant), `2024-05-01T10:00:00+02:00` / `…Z` (v4 DateTimeOffset), `2024-05-01T10:00:00` (Edm.DateTime
 * without offset: UTC), `2024-05-01` (Edm.Date: UTC midnight). Anything else is an `ODataProtocolError`.
 */
export function parseODataDate(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  if (typeof value !== 'string' || value.length > 64) throw notADate(value);
  const v2 = V2_DATE.exec(value) ?? V2_DATE_WITH_OFFSET.exec(value);
  if (v2) {
    const offset = v2[3];
    if (offset !== undefined && Number(offset) > 24 * 60) throw notADate(value);
    return checked(new Date(Number(v2[1])), value);
  }
  const t = value.indexOf('T');
  const datePart = t < 0 ? value : value.slice(0, t);
  const timeAndZone = t < 0 ? undefined : value.slice(t + 1);
  const date = DATE_PART.exec(datePart);
  if (!date) throw notADate(value);
  let time: string[] = [];
  let offsetMinutes = 0;
  if (timeAndZone !== undefined) {
    let timePart = timeAndZone;
    if (timePart.endsWith('Z')) timePart = timePart.slice(0, -1);
    else if (ZONE_OFFSET.test(timePart)) {
      offsetMinutes = zoneMinutes(timePart.slice(-6));
      timePart = timePart.slice(0, -6);
    }
    const match = TIME_PARTS.map((pattern) => pattern.exec(timePart)).find((found) => found !== null);
    if (!match) throw notADate(value);
    time = match.slice(1);
  }
  const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
  const [hour = 0, minute = 0, second = 0] = time.slice(0, 3).map(Number);
  const ms = Number((time[3] ?? '').padEnd(3, '0').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) > 24 * 60) throw notADate(value);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2024-02-30 over to March: a date that does not exist is refused, not moved.
  const asWritten = new Date(utc);
  if (asWritten.getUTCMonth() !== month - 1 || asWritten.getUTCDate() !== day) throw notADate(value);
  return checked(new Date(utc - offsetMinutes * 60_000), value);
}

/**
 * A date as a `$filter` literal: v4 `2024-05-01T10:00:00.000Z` (DateTimeOffset; v4 has no Edm.DateTime), v2
 * `datetime'2024-05-01T10:00:00.000'` (Edm.DateTime, UTC, the v2 default as SAP's `LastChangeDate…` fields) or
 * `datetimeoffset'2024-05-01T10:00:00.000Z'`.
 */
export function odataDateLiteral(
  date: Date,
  version: ODataVersion,
  edmType: 'DateTime' | 'DateTimeOffset' = version === 'v2' ? 'DateTime' : 'DateTimeOffset',
): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('an invalid Date has no OData literal');
  const iso = date.toISOString();
  if (version === 'v4') return iso;
  if (edmType === 'DateTimeOffset') return `datetimeoffset'${iso}'`;
  return `datetime'${iso.slice(0, -1)}'`;
}

/** A date as the v2 JSON wire writes it in a request body: `/Date(<ms>)/`. */
export function odataV2DateValue(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('an invalid Date has no OData value');
  return `/Date(${date.getTime()})/`;
}

function zoneMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0));
}

function checked(date: Date, value: string): Date {
  if (Number.isNaN(date.getTime())) throw notADate(value);
  return date;
}

function notADate(value: unknown): ODataProtocolError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
  return new ODataProtocolError({ message: `not an OData date: ${shown}`, status: null, operation: 'parse' });
}
