import type { ODataVersion } from './types.ts';

export function parseODataDate(value: unknown): Date {
  throw new Error(`parseODataDate(${String(value)}): being written`);
}

export function odataDateLiteral(
  date: Date,
  version: ODataVersion,
  edmType?: 'DateTime' | 'DateTimeOffset',
): string {
  throw new Error(`odataDateLiteral(${date.toISOString()}, ${version}, ${edmType}): being written`);
}
