import { Alert, Anchor, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { calculationLabel } from './calculation-label.ts';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatMoneyValue } from '../../i18n/format.ts';
import { FormProblem, splitFieldErrors } from '../../ui/FormProblem.tsx';
import { countryLabel } from '../parties/countries.ts';
import type { Calculation } from './types.ts';

/** Contracts that hold their asset while assets still says it is available (it reserves it on signing). */
const HOLDING_BEFORE_SIGNING = ['draft', 'approved'] as const;
/** The statuses in which a contract holds its asset (leasing's one-live-contract-per-asset rule). */
const LIVE: readonly string[] = ['draft', 'approved', 'signed', 'active'];

interface Option {
  value: string;
  label: string;
}

/**
 * A select that asks the server for its options as the user types (the lists are too long to load whole).
 * The chosen option stays among the options, whatever the current search finds.
 */
function SearchSelect({
  label,
  placeholder,
  description,
  error,
  value,
  onChange,
  search,
  onSearchChange,
  options,
  loading,
}: {
  label: string;
  placeholder: string;
  description?: string;
  error?: string | undefined;
  value: Option | null;
  onChange: (option: Option | null) => void;
  search: string;
  onSearchChange: (search: string) => void;
  options: Option[];
  loading: boolean;
}) {
  const { t } = useTranslation('calculator');
  const data =
    value && !options.some((option) => option.value === value.value) ? [value, ...options] : options;
  return (
    <Select
      label={label}
      placeholder={placeholder}
      description={description}
      error={error}
      withAsterisk
      searchable
      clearable
      // The server filters; the select shows what it answered.
      filter={({ options: all }) => all}
      data={data}
      value={value?.value ?? null}
      onChange={(id) => onChange(data.find((option) => option.value === id) ?? null)}
      searchValue={search}
      onSearchChange={onSearchChange}
      nothingFoundMessage={loading ? t('common:states.loading') : t('contract.nothingFound')}
    />
  );
}

/** The search term to send: none while the box shows the chosen option's label. */
function term(search: string, chosen: Option | null): string {
  const trimmed = search.trim();
  return chosen && trimmed === chosen.label ? '' : trimmed;
}

/** "Make a contract": a draft contract from the saved calculation, for a lessee and an asset. */
export function MakeContractDialog({
  calculation,
  opened,
  onClose,
}: {
  calculation: Calculation;
  opened: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('calculator');
  const { can } = useSession();
  const navigate = useNavigate();
  const [party, setParty] = useState<Option | null>(null);
  const [asset, setAsset] = useState<Option | null>(null);
  const [partySearch, setPartySearch] = useState('');
  const [assetSearch, setAssetSearch] = useState('');
  const [partyTerm] = useDebouncedValue(term(partySearch, party), 250);
  const [assetTerm] = useDebouncedValue(term(assetSearch, asset), 250);
  const [missing, setMissing] = useState<{ partyId?: boolean; assetId?: boolean }>({});
  const mayReadParties = can('parties:parties:read');
  const mayReadAssets = can('assets:assets:read');

  const parties = useQuery({
    queryKey: ['parties', 'options', partyTerm],
    enabled: opened && mayReadParties,
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties', {
          params: { query: { limit: 20, deleted: 'exclude', ...(partyTerm ? { q: partyTerm } : {}) } },
        }),
      ),
  });
  const assets = useQuery({
    queryKey: ['assets', 'options', 'available', assetTerm],
    enabled: opened && mayReadAssets,
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets', {
          params: {
            query: {
              limit: 20,
              deleted: 'exclude',
              status: 'available',
              ...(assetTerm ? { q: assetTerm } : {}),
            },
          },
        }),
      ),
  });
  // assets marks an asset reserved only once a contract is signed; a draft or an approved contract holds it in
  // leasing alone. Those are left out of the choice (leasing would refuse them), by the contracts that hold them.
  const mayReadContracts = can('leasing:contracts:read');
  const held = useQueries({
    queries: HOLDING_BEFORE_SIGNING.map((status) => ({
      queryKey: ['leasing', 'contracts', 'holding', status],
      enabled: opened && mayReadAssets && mayReadContracts,
      queryFn: () =>
        unwrap(
          api.leasing.GET('/v1/contracts', {
            params: { query: { limit: 200, deleted: 'exclude', status } },
          }),
        ),
    })),
  });
  const heldAssets = new Set(held.flatMap((query) => query.data?.items ?? []).map((found) => found.asset.id));
  const create = useMutation({
    mutationFn: (choice: { partyId: string; assetId: string }) =>
      unwrap(api.leasing.POST('/v1/contracts', { body: { calculationId: calculation.id, ...choice } })),
    onSuccess: (contract) => {
      notifications.show({ color: 'green', message: t('contract.created', { number: contract.number }) });
      void navigate(`/contracts/${contract.id}`);
    },
  });

  const apiErrors = create.error instanceof ApiError ? formFieldErrors(create.error.problem) : {};
  // "The asset is not available" names no field, but it is about the asset: the refusal's detail beside it,
  // and the contract that holds the asset, looked up in leasing (the detail may not name it).
  const assetRefused =
    create.error instanceof ApiError && create.error.problem.code === 'ASSET_NOT_AVAILABLE'
      ? create.variables?.assetId
      : undefined;
  const holder = useQuery({
    queryKey: ['leasing', 'contracts', 'holder', assetRefused],
    enabled: assetRefused !== undefined && mayReadContracts,
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/contracts', {
          params: { query: { limit: 20, deleted: 'exclude', assetId: assetRefused! } },
        }),
      ),
  });
  const holding =
    assetRefused !== undefined ? holder.data?.items.find((found) => LIVE.includes(found.status)) : undefined;
  if (assetRefused !== undefined && create.error instanceof ApiError)
    apiErrors.assetId ??= create.error.message;
  const required = t('validation.required');

  const partyOptions: Option[] = (parties.data?.items ?? []).map((found) => ({
    value: found.id,
    label: [
      found.name,
      countryLabel(found.country, i18n.language),
      found.taxId,
      t('contract.kyc', { status: t(`kyc.${found.kycStatus}`, { ns: 'parties' }) }),
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  const assetOptions: Option[] = (assets.data?.items ?? [])
    .filter((found) => !heldAssets.has(found.id))
    .map((found) => ({
      value: found.id,
      label: [
        `${found.make} ${found.model} (${found.year})`,
        found.vin ?? found.serialNumber,
        formatMoneyValue(found.price),
      ]
        .filter(Boolean)
        .join(' · '),
    }));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('contract.title', { label: calculationLabel(calculation, t) })}
      size="lg"
      centered
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setMissing({ partyId: !party, assetId: !asset });
          if (party && asset) create.mutate({ partyId: party.value, assetId: asset.value });
        }}
      >
        <Stack>
          <Text size="sm">{t('contract.intro')}</Text>
          <FormProblem
            error={create.error}
            title={t('contract.notCreated')}
            other={
              splitFieldErrors(create.error, (field) => field === 'partyId' || field === 'assetId').other
            }
          />
          {mayReadParties ? (
            <SearchSelect
              label={t('contract.party')}
              placeholder={t('contract.partyPlaceholder')}
              error={apiErrors.partyId ?? (missing.partyId && !party ? required : undefined)}
              value={party}
              onChange={setParty}
              search={partySearch}
              onSearchChange={setPartySearch}
              options={partyOptions}
              loading={parties.isFetching}
            />
          ) : (
            <Alert color="yellow">
              {t('contract.cannotSearch', {
                what: t('contract.parties'),
                permission: 'parties:parties:read',
              })}
            </Alert>
          )}
          {holding && (
            <Alert color="red" role="alert" title={t('contract.heldTitle')}>
              {t('contract.heldBy', {
                number: holding.number,
                status: t(`status.${holding.status}`, { ns: 'contracts', defaultValue: holding.status }),
              })}{' '}
              <Anchor component={Link} to={`/contracts/${holding.id}`} onClick={onClose}>
                {t('contract.openHolder', { number: holding.number })}
              </Anchor>
            </Alert>
          )}
          {mayReadAssets ? (
            <SearchSelect
              label={t('contract.asset')}
              placeholder={t('contract.assetPlaceholder')}
              description={t(mayReadContracts ? 'contract.assetHintFree' : 'contract.assetHint')}
              error={apiErrors.assetId ?? (missing.assetId && !asset ? required : undefined)}
              value={asset}
              onChange={setAsset}
              search={assetSearch}
              onSearchChange={setAssetSearch}
              options={assetOptions}
              loading={assets.isFetching}
            />
          ) : (
            <Alert color="yellow">
              {t('contract.cannotSearch', { what: t('contract.assets'), permission: 'assets:assets:read' })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!mayReadParties || !mayReadAssets}>
              {t('contract.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
