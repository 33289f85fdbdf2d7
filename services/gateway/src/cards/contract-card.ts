import { UpstreamResponseError, UpstreamUnavailableError, type ServiceClient } from '@lessor/http-client';

/** How one part of a composed read went: `ok`, or why it is empty. */
export interface PartStatus {
  status: 'ok' | 'unavailable' | 'forbidden' | 'not-found' | 'skipped';
  reason?: string;
}

/** One part of a card: its value, or null with the reason. */
export interface Part<T> {
  value: T | null;
  status: PartStatus;
}

/**
 * Calls one service for one part of a composed read. Never throws for the service's sake: a service that is
 * down, slow, refusing or missing the object leaves its part empty with the reason, so the card still
 * answers with what the others gave (ARCHITECTURE.md §1: reads degrade).
 */
export async function fetchPart<T>(
  client: ServiceClient,
  path: string,
  authorization: string | undefined,
  deadlineMs: number,
): Promise<Part<T>> {
  try {
    const value = await client.get<T>(path, {
      deadlineMs,
      headers: authorization ? { authorization } : {},
    });
    return { value, status: { status: 'ok' } };
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      return { value: null, status: { status: 'unavailable', reason: `${error.service}: ${error.reason}` } };
    if (error instanceof UpstreamResponseError) {
      const status =
        error.status === 404
          ? 'not-found'
          : error.status === 401 || error.status === 403
            ? 'forbidden'
            : 'unavailable';
      return { value: null, status: { status, reason: `${error.service} answered ${error.status}` } };
    }
    return { value: null, status: { status: 'unavailable', reason: 'the call failed' } };
  }
}

/** An empty part for an object the card could not even name (the contract it hangs on is missing). */
export function skipped<T>(reason: string): Part<T> {
  return { value: null, status: { status: 'skipped', reason } };
}

interface ScheduleLineMoney {
  amount: string;
  currency: string;
}

interface ScheduleAnswer {
  version: number;
  effectiveRate: string;
  schedule: {
    n: number;
    dueDate: string;
    payment: ScheduleLineMoney;
    vat: ScheduleLineMoney;
    balance: ScheduleLineMoney;
  }[];
  totals: Record<string, ScheduleLineMoney>;
}

/** What a card shows of a schedule: its size, the next installment at a date, and the totals. */
export function scheduleSummary(schedule: ScheduleAnswer, today: string) {
  const next = schedule.schedule.find((line) => line.dueDate >= today) ?? null;
  const last = schedule.schedule.at(-1) ?? null;
  return {
    version: schedule.version,
    installments: schedule.schedule.length,
    effectiveRate: schedule.effectiveRate,
    firstDueDate: schedule.schedule[0]?.dueDate ?? null,
    lastDueDate: last?.dueDate ?? null,
    nextInstallment: next ? { n: next.n, dueDate: next.dueDate, payment: next.payment, vat: next.vat } : null,
    totals: schedule.totals,
  };
}
