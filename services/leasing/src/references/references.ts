import { kitErrors, type FieldError } from '@lessor/service-kit';
import { UpstreamResponseError, UpstreamUnavailableError, type ServiceClient } from '@lessor/http-client';
import { leasingErrors } from '../leasing.errors.ts';

/** What leasing reads of a party (parties' `GET /v1/parties/{id}/summary`). */
export interface PartySummary {
  id: string;
  name: string;
  kind: string;
  country: string;
  taxId: string | null;
  kycStatus: string;
}

/** What leasing reads of an asset (assets' `GET /v1/assets/{id}/summary`). */
export interface AssetSummary {
  id: string;
  type: string;
  make: string;
  model: string;
  vin: string | null;
  serialNumber: string | null;
  year: number;
  status: string;
}

/** A name shown beside a contract: fresh, or the last known one marked stale with the reason. */
export interface ReferenceName {
  id: string;
  name: string;
  stale: boolean;
  reason?: string;
}

/** How an asset is named on a contract: make, model and its VIN or serial number. */
export function assetName(asset: AssetSummary): string {
  const identifier = asset.vin ?? asset.serialNumber;
  return identifier ? `${asset.make} ${asset.model} (${identifier})` : `${asset.make} ${asset.model}`;
}

/**
 * leasing's window on parties and assets (ARCHITECTURE.md §1: a service keeps working when another is
 * down). Reads answer from the http-client's cache, or the name stored on the contract, marked stale;
 * writes that need a fresh check fail with 503 and change nothing.
 */
export class References {
  constructor(
    private readonly parties: ServiceClient,
    private readonly assets: ServiceClient,
  ) {}

  /** The party's name for a read: fresh when parties answers, else the last known one, marked stale. */
  async partyName(id: string, lastKnown: string): Promise<ReferenceName> {
    return this.#name(
      this.parties,
      `/v1/parties/${id}/summary`,
      id,
      lastKnown,
      (party: PartySummary) => party.name,
    );
  }

  /** The asset's name for a read: fresh when assets answers, else the last known one, marked stale. */
  async assetName(id: string, lastKnown: string): Promise<ReferenceName> {
    return this.#name(this.assets, `/v1/assets/${id}/summary`, id, lastKnown, assetName);
  }

  /** The party as parties knows it now, for a write: 422 when it does not exist, 503 when parties is down. */
  freshParty(id: string, field: string): Promise<PartySummary> {
    return this.#fresh(this.parties, 'parties', `/v1/parties/${id}/summary`, field, `party ${id}`);
  }

  /** The asset as assets knows it now, for a write: 422 when it does not exist, 503 when assets is down. */
  freshAsset(id: string, field: string): Promise<AssetSummary> {
    return this.#fresh(this.assets, 'assets', `/v1/assets/${id}/summary`, field, `asset ${id}`);
  }

  async #name<T>(
    client: ServiceClient,
    path: string,
    id: string,
    lastKnown: string,
    nameOf: (value: T) => string,
  ): Promise<ReferenceName> {
    try {
      const answer = await client.getReference<T>(path);
      return answer.stale
        ? { id, name: nameOf(answer.value), stale: true, reason: 'unavailable: served from cache' }
        : { id, name: nameOf(answer.value), stale: false };
    } catch (error) {
      if (error instanceof UpstreamUnavailableError)
        return { id, name: lastKnown, stale: true, reason: `unavailable: ${error.reason}` };
      if (error instanceof UpstreamResponseError)
        return { id, name: lastKnown, stale: true, reason: `refused: HTTP ${error.status}` };
      throw error;
    }
  }

  async #fresh<T>(
    client: ServiceClient,
    service: string,
    path: string,
    field: string,
    what: string,
  ): Promise<T> {
    try {
      return await client.get<T>(path);
    } catch (error) {
      if (error instanceof UpstreamResponseError && error.status === 404) {
        const errors: FieldError[] = [{ field, message: `no such ${what.split(' ')[0]}` }];
        throw leasingErrors.create.REFERENCE_NOT_FOUND(`No ${what}`, { errors });
      }
      if (error instanceof UpstreamUnavailableError || error instanceof UpstreamResponseError)
        throw kitErrors.create.SERVICE_UNAVAILABLE(
          `${service} could not confirm the ${what} (${
            error instanceof UpstreamUnavailableError ? error.reason : `HTTP ${error.status}`
          }); nothing was changed`,
          { headers: { 'retry-after': '5' } },
        );
      throw error;
    }
  }
}
