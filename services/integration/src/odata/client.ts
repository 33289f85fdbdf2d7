import type { ODataClient, ODataClientOptions } from './types.ts';

export function createODataClient(options: ODataClientOptions): ODataClient {
  throw new Error(`createODataClient(${options.version}): being written (issue 15, H2)`);
}
