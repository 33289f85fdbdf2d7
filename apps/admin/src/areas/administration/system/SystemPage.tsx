import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { session } from '../../../auth/session.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { ErrorState } from '../../../ui/QueryState.tsx';
import { EVENT_SERVICES } from '../events/eventServices.ts';
import { figures, parsePrometheus, serviceMetrics, windowStart, type ServiceMetrics } from './metrics.ts';
import { LAG_LIMIT_SECONDS, LATENCY_BUDGET_MS, SystemTable, type ServiceHealth } from './SystemTable.tsx';

/** How often the page reads every service's metrics again. */
const REFRESH_MS = 15_000;
/**
 * The recent window the rate and the p99s are measured over: from the page's oldest reading within the last
 * five minutes to its latest (histogram deltas), so the boot and a demo load long past do not count.
 */
export const WINDOW_MS = 5 * 60_000;
/** After the first reading the next comes soon, so that a window exists a few seconds after opening. */
const FIRST_WINDOW_MS = 3_000;

/** One reading of every service's /metrics. */
interface Scrape {
  at: number;
  byService: Record<string, ServiceMetrics | { error: string }>;
}

/**
 * Each service's /metrics through the gateway (`/api/<service>/metrics`), with the session's token: the
 * gateway wants `gateway:metrics:read` (ADR 13). A service whose metrics cannot be read is reported, not fatal.
 */
async function scrape(names: readonly string[]): Promise<Scrape> {
  const token = await session.token();
  const headers = { accept: 'text/plain', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const response = await fetch(`/api/${name}/metrics`, { headers });
        if (!response.ok) return [name, { error: `HTTP ${response.status}` }] as const;
        return [name, serviceMetrics(parsePrometheus(await response.text()))] as const;
      } catch (cause) {
        return [name, { error: String(cause) }] as const;
      }
    }),
  );
  return { at: Date.now(), byService: Object.fromEntries(entries) };
}

/**
 * `/administration/system`: readiness from the gateway (`GET /v1/services`), request rate, p99, outbox
 * backlog, consumer lag (queue depth and p99 event age at handling) and parked events from each service's
 * metrics, and links to each API's docs.
 */
export function SystemPage({
  windowMs = WINDOW_MS,
  refreshMs = REFRESH_MS,
}: {
  /** The window (tests shorten it). */
  windowMs?: number;
  refreshMs?: number;
} = {}) {
  const { t } = useTranslation('administration');
  const { can } = useSession();
  const services = useQuery({
    queryKey: ['gateway', 'services'],
    refetchInterval: refreshMs,
    queryFn: () => unwrap(api.gateway.GET('/v1/services')),
  });
  const names = ['gateway', ...(services.data?.items.map((item) => item.name) ?? [])];
  const [scrapes, setScrapes] = useState<Scrape[]>([]);
  const metrics = useQuery({
    queryKey: ['system', 'metrics', names.join(',')],
    enabled: services.isSuccess,
    refetchInterval: scrapes.length < 2 ? Math.min(FIRST_WINDOW_MS, refreshMs) : refreshMs,
    staleTime: 0,
    queryFn: async () => {
      const reading = await scrape(names);
      // Kept while within the window, and the one just before it (the window's start when readings are sparse).
      setScrapes((list) => {
        const kept = list.filter((old) => reading.at - old.at <= windowMs);
        const older = list.filter((old) => reading.at - old.at > windowMs).at(-1);
        return [...(older ? [older] : []), ...kept, reading];
      });
      return reading;
    },
  });
  const current = metrics.data;
  const previous = current ? windowStart(scrapes, current, windowMs) : undefined;
  const windowSeconds = current && previous ? (current.at - previous.at) / 1000 : null;

  const rows: ServiceHealth[] = names.map((name) => {
    const status = services.data?.items.find((item) => item.name === name);
    const now = current?.byService[name];
    const before = previous?.byService[name];
    const read = now && !('error' in now) ? now : undefined;
    const figure = read
      ? figures(before && !('error' in before) ? before : undefined, read, windowSeconds ?? 0)
      : undefined;
    return {
      name,
      // The gateway answered the list of services, so it is up; the others as its probe found them.
      ready: name === 'gateway' ? services.isSuccess : (status?.ready ?? null),
      detail: status?.detail ?? null,
      probeMs: status?.latencyMs ?? null,
      requestsPerSecond: figure?.requestsPerSecond ?? null,
      p99Ms: figure?.p99Seconds === null || figure === undefined ? null : figure.p99Seconds * 1000,
      p99Basis: figure?.basis ?? null,
      windowSeconds,
      outboxPending: read?.outboxPending ?? null,
      outboxOldestAgeSeconds: read?.outboxOldestAgeSeconds ?? null,
      parked: read?.parked ?? null,
      queueDepth: read?.queueDepth ?? null,
      lagP99Seconds: figure?.lagP99Seconds ?? null,
      lagBasis: figure?.lagBasis ?? null,
      metricsError: now && 'error' in now ? now.error : null,
      // With the trailing slash: the docs page without it loads its assets from /docs/static (not routed).
      docsUrl: can(`${name}:docs:read`) ? `/api/${name}/docs/` : null,
      parkedUrl:
        (EVENT_SERVICES as readonly string[]).includes(name) && can(`${name}:events:read`)
          ? `/administration/events?service=${name}`
          : null,
    };
  });

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('system.title')}</Title>
        <Group gap="sm">
          {current && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('system.updated', { at: formatDateTime(new Date(current.at).toISOString()) })}
            </Text>
          )}
          <Button
            variant="default"
            loading={services.isFetching || metrics.isFetching}
            onClick={() => {
              void services.refetch();
              void metrics.refetch();
            }}
          >
            {t('common:actions.refresh')}
          </Button>
        </Group>
      </Group>
      <Text c="dimmed">
        {t('system.intro', { seconds: refreshMs / 1000 })}{' '}
        {t('system.windowHelp', { minutes: windowMs / 60_000, budget: LATENCY_BUDGET_MS })}
      </Text>
      {services.isError ? (
        <ErrorState error={services.error} onRetry={() => void services.refetch()} />
      ) : (
        <SystemTable services={rows} loading={services.isPending} />
      )}
      <Text size="sm" c="dimmed">
        {t('system.lagHelp', { seconds: LAG_LIMIT_SECONDS })}
      </Text>
    </Stack>
  );
}
