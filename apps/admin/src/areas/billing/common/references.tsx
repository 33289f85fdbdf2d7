import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';

/** Names of contracts and parties change rarely: one lookup per id serves every table for a while. */
const NAME_STALE_MS = 5 * 60_000;

/** The contract's number (and its party, currency) from leasing, when the user may read contracts. */
export function useContractSummary(id: string | null | undefined) {
  const { can } = useSession();
  return useQuery({
    queryKey: ['leasing', 'contracts', 'summary', id],
    enabled: !!id && can('leasing:contracts:read'),
    staleTime: NAME_STALE_MS,
    queryFn: async () => {
      const contract = await unwrap(
        api.leasing.GET('/v1/contracts/{id}', {
          params: { path: { id: id as string }, query: { includeDeleted: true, names: 'stored' } },
        }),
      );
      return {
        id: contract.id,
        number: contract.number,
        partyName: contract.party.name ?? contract.party.id,
        currency: contract.financedAmount.currency,
      };
    },
  });
}

function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}

/**
 * A contract named by its number, linked to its card; without the right to read contracts (or while the number
 * loads, or when leasing does not answer) the start of its id, with the whole id as the tooltip.
 */
export function ContractRef({ id }: { id: string | null | undefined }) {
  const { can } = useSession();
  const summary = useContractSummary(id);
  if (!id)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  const label = summary.data?.number ?? shortId(id);
  if (!can('leasing:contracts:read')) {
    return (
      <Text span size="sm" title={id} ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
    );
  }
  return (
    <Anchor
      component={Link}
      to={`/contracts/${id}`}
      size="sm"
      title={id}
      style={{ whiteSpace: 'nowrap' }}
      onClick={(e) => e.stopPropagation()}
    >
      {label}
    </Anchor>
  );
}

/** A counterparty (party) by name, linked to its card, with the same fallbacks as {@link ContractRef}. */
export function PartyRef({ id }: { id: string | null | undefined }) {
  const { can } = useSession();
  const allowed = can('parties:parties:read');
  const summary = useQuery({
    queryKey: ['parties', 'summary', id],
    enabled: !!id && allowed,
    staleTime: NAME_STALE_MS,
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties/{id}/summary', {
          params: { path: { id: id as string }, query: { includeDeleted: true } },
        }),
      ),
  });
  if (!id)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  const label = summary.data?.name ?? shortId(id);
  if (!allowed) {
    return (
      <Text span size="sm" title={id} ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={`/parties/${id}`} size="sm" title={id} onClick={(e) => e.stopPropagation()}>
      {label}
    </Anchor>
  );
}
