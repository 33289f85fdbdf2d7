import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/problem.ts';

/** The message to show for a failed call: the problem's detail, or that the server could not be reached. */
export function errorMessage(error: unknown, unreachable: string): string {
  if (error instanceof ApiError) return error.status === 0 ? unreachable : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** An error with a retry button, for a query that failed. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert" title={t('states.error', { message: '' }).replace(/:\s*$/, '')}>
      <Group justify="space-between">
        <Text size="sm">{errorMessage(error, t('states.unreachable'))}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('states.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function LoadingState() {
  const { t } = useTranslation();
  return (
    <Center py="xl" aria-busy="true">
      <Loader size="sm" aria-label={t('states.loading')} />
      <Text ml="sm" c="dimmed">
        {t('states.loading')}
      </Text>
    </Center>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Text c="dimmed">{children ?? t('states.empty')}</Text>
    </Center>
  );
}

/**
 * Renders a query's loading, error and empty states, and `children(data)` once it has data. `isEmpty` decides
 * what counts as empty (default: an array or an `items` list with no entries).
 */
export function QueryState<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data;
  const emptyCheck =
    isEmpty ??
    ((value: T) =>
      Array.isArray(value)
        ? value.length === 0
        : Array.isArray((value as { items?: unknown[] })?.items) &&
          (value as { items: unknown[] }).items.length === 0);
  if (emptyCheck(data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(data)}</>;
}
