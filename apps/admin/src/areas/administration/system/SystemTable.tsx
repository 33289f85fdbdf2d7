import { Alert, Anchor, Badge, Group, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatLocale } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';

/**
 * The latency budget of a call, in milliseconds (ARCHITECTURE.md §4: 300 ms per call between services; the
 * kit's histogram has 0.3 s as a bucket edge so that it can be checked exactly).
 */
export const LATENCY_BUDGET_MS = 300;

/**
 * A consumer is marked as behind when its p99 lag is over this: events reach their consumers within a second
 * or two when all is well; a minute means a queue is building up or a service was down.
 */
export const LAG_LIMIT_SECONDS = 60;

/** One row of the system page: what is known of a service, null where it is not (yet) known. */
export interface ServiceHealth {
  name: string;
  /** Whether /health/ready answered 200; null: not asked. */
  ready: boolean | null;
  /** Why it is not ready (`HTTP 503`, `timed out`, `unreachable`). */
  detail: string | null;
  probeMs: number | null;
  requestsPerSecond: number | null;
  p99Ms: number | null;
  /** What the p99 covers: the last scrape window (`windowSeconds`) or everything since the service started. */
  p99Basis: 'window' | 'since-start' | null;
  windowSeconds: number | null;
  outboxPending: number | null;
  outboxOldestAgeSeconds: number | null;
  parked: number | null;
  /** Events waiting in its queue; null for a service that consumes none. */
  queueDepth: number | null;
  /** p99 of the time from an event's occurrence to its effect in this service, over `lagBasis`. */
  lagP99Seconds: number | null;
  lagBasis: 'window' | 'since-start' | null;
  /** Why its /metrics could not be read, if it could not. */
  metricsError: string | null;
  /** Its API docs, when the reader may open them. */
  docsUrl: string | null;
  /** Its parked events page, when it has one and the reader may open it. */
  parkedUrl: string | null;
}

function number(value: number, digits = 0): string {
  return new Intl.NumberFormat(formatLocale(), { maximumFractionDigits: digits }).format(value);
}

/**
 * Every service's readiness, request rate, p99 against the budget, outbox backlog, consumer lag and parked
 * events. A service that is not ready, over budget or behind with its events is marked in words in its row and
 * listed above the table.
 */
export function SystemTable({
  services,
  budgetMs = LATENCY_BUDGET_MS,
  loading = false,
}: {
  services: ServiceHealth[];
  budgetMs?: number;
  loading?: boolean;
}) {
  const { t } = useTranslation('administration');
  // Only a recent window is judged: a p99 since the start counts the boot and whatever load is long past.
  const overBudget = (row: ServiceHealth) =>
    row.p99Basis === 'window' && row.p99Ms !== null && row.p99Ms > budgetMs;
  const behind = (row: ServiceHealth) =>
    row.lagBasis === 'window' && row.lagP99Seconds !== null && row.lagP99Seconds > LAG_LIMIT_SECONDS;
  const attention = services.filter((row) => row.ready === false || overBudget(row) || behind(row));
  const basisOf = (basis: ServiceHealth['p99Basis'], row: ServiceHealth) =>
    basis === 'window'
      ? (row.windowSeconds ?? 0) >= 120
        ? t('system.lastMinutes', { minutes: number((row.windowSeconds ?? 0) / 60) })
        : t('system.lastSeconds', { seconds: number(row.windowSeconds ?? 0) })
      : t('system.sinceStart');

  return (
    <Stack>
      {attention.length > 0 ? (
        <Alert color="red" title={t('system.attention', { count: attention.length })} role="status">
          <List size="sm">
            {attention.map((row) => (
              <List.Item key={row.name}>
                {row.name}:{' '}
                {[
                  row.ready === false ? t('system.notReadyBecause', { detail: row.detail ?? '—' }) : null,
                  overBudget(row) && row.p99Ms !== null
                    ? t('system.overBudgetBy', {
                        p99: number(row.p99Ms),
                        budget: budgetMs,
                        basis: basisOf(row.p99Basis, row),
                      })
                    : null,
                  behind(row) && row.lagP99Seconds !== null
                    ? t('system.lagBehindBy', {
                        lag: number(row.lagP99Seconds, 1),
                        limit: LAG_LIMIT_SECONDS,
                        basis: basisOf(row.lagBasis, row),
                      })
                    : null,
                ]
                  .filter(Boolean)
                  .join('; ')}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : (
        services.length > 0 && (
          <Alert color="green" role="status">
            {t('system.allWell', { budget: budgetMs })}
          </Alert>
        )
      )}
      <DataTable
        caption={t('system.caption')}
        rows={loading ? undefined : services}
        rowKey={(row) => row.name}
        columns={[
          { key: 'name', header: t('system.service'), sortValue: (row) => row.name },
          {
            key: 'ready',
            header: t('system.readiness'),
            sortValue: (row) => (row.ready === false ? 0 : row.ready === null ? 1 : 2),
            render: (row) => (
              <Stack gap={2}>
                <Badge
                  miw="max-content"
                  color={row.ready ? 'green' : row.ready === false ? 'red' : 'gray'}
                  variant="light"
                >
                  {row.ready
                    ? t('system.ready')
                    : row.ready === false
                      ? t('system.notReady')
                      : t('system.unknown')}
                </Badge>
                {row.ready === false && row.detail && (
                  <Text size="xs" c="red">
                    {row.detail}
                  </Text>
                )}
                {row.probeMs !== null && (
                  <Text size="xs" c="dimmed">
                    {t('system.probe', { ms: number(row.probeMs) })}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            key: 'rate',
            header: t('system.rate'),
            align: 'right',
            sortValue: (row) => row.requestsPerSecond ?? -1,
            render: (row) =>
              row.metricsError ? (
                <Text size="sm" c="dimmed" title={row.metricsError}>
                  {t('system.noMetrics')}
                </Text>
              ) : row.requestsPerSecond === null ? (
                <Text size="sm" c="dimmed">
                  {t('system.measuring')}
                </Text>
              ) : (
                number(row.requestsPerSecond, 2)
              ),
          },
          {
            key: 'p99',
            header: t('system.p99', { budget: budgetMs }),
            align: 'right',
            sortValue: (row) => row.p99Ms ?? -1,
            render: (row) =>
              row.p99Ms === null ? (
                row.p99Basis === 'window' ? (
                  <Text size="xs" c="dimmed">
                    {t('system.noRequests', { basis: basisOf(row.p99Basis, row) })}
                  </Text>
                ) : (
                  '—'
                )
              ) : (
                <Stack gap={2} align="flex-end">
                  <Group gap={6} wrap="nowrap" justify="flex-end">
                    <Text
                      size="sm"
                      c={overBudget(row) ? 'red' : undefined}
                      fw={overBudget(row) ? 700 : undefined}
                    >
                      {t('system.ms', { ms: number(row.p99Ms) })}
                    </Text>
                    {overBudget(row) && (
                      <Badge miw="max-content" color="red" variant="filled" size="sm">
                        {t('system.overBudget')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {basisOf(row.p99Basis, row)}
                  </Text>
                </Stack>
              ),
          },
          {
            key: 'outbox',
            header: t('system.outbox'),
            align: 'right',
            sortValue: (row) => row.outboxPending ?? -1,
            render: (row) =>
              row.outboxPending === null ? (
                '—'
              ) : (
                <Stack gap={2} align="flex-end">
                  <Text size="sm">{number(row.outboxPending)}</Text>
                  {row.outboxPending > 0 && row.outboxOldestAgeSeconds !== null && (
                    <Text size="xs" c="dimmed">
                      {t('system.oldest', { seconds: number(row.outboxOldestAgeSeconds, 1) })}
                    </Text>
                  )}
                </Stack>
              ),
          },
          {
            key: 'lag',
            header: t('system.lag'),
            align: 'right',
            sortValue: (row) => row.lagP99Seconds ?? row.queueDepth ?? -1,
            render: (row) =>
              row.queueDepth === null ? (
                '—'
              ) : (
                <Stack gap={2} align="flex-end">
                  <Text size="sm">
                    {t('system.waiting', { count: row.queueDepth, formatted: number(row.queueDepth) })}
                  </Text>
                  {row.lagP99Seconds !== null && (
                    <Group gap={6} wrap="nowrap" justify="flex-end">
                      <Text size="xs" c={behind(row) ? 'red' : 'dimmed'} fw={behind(row) ? 700 : undefined}>
                        {t('system.lagP99', { seconds: number(row.lagP99Seconds, 1) })} ·{' '}
                        {basisOf(row.lagBasis, row)}
                      </Text>
                      {behind(row) && (
                        <Badge miw="max-content" color="red" variant="filled" size="sm">
                          {t('system.lagBehind')}
                        </Badge>
                      )}
                    </Group>
                  )}
                </Stack>
              ),
          },
          {
            key: 'parked',
            header: t('system.parked'),
            align: 'right',
            sortValue: (row) => row.parked ?? -1,
            render: (row) =>
              row.parked === null ? (
                '—'
              ) : row.parked > 0 && row.parkedUrl ? (
                <Anchor component={Link} to={row.parkedUrl} c="red" fw={700} size="sm">
                  {number(row.parked)}
                </Anchor>
              ) : (
                number(row.parked)
              ),
          },
          {
            key: 'docs',
            header: t('system.docs'),
            render: (row) =>
              row.docsUrl ? (
                <Anchor
                  href={row.docsUrl}
                  target="_blank"
                  rel="noopener"
                  size="sm"
                  aria-label={t('system.docsOf', { service: row.name })}
                >
                  {t('system.openDocs')}
                </Anchor>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Stack>
  );
}
