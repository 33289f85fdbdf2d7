import { CloseButton, Combobox, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { useContractSummary } from './references.tsx';

export interface ContractChoice {
  id: string;
  number: string;
  partyName: string;
  currency: string;
}

export interface ContractSelectProps {
  value: string | null;
  onChange: (id: string | null, contract?: ContractChoice) => void;
  label: string;
  error?: React.ReactNode;
  description?: React.ReactNode;
  required?: boolean;
}

function optionLabel(contract: ContractChoice): string {
  return `${contract.number} · ${contract.partyName}`;
}

/**
 * Picks a contract: searched by number in leasing when the user may read contracts, else typed as its id.
 * The input's accessible name is `label` either way.
 */
export function ContractSelect(props: ContractSelectProps) {
  const { can } = useSession();
  return can('leasing:contracts:read') ? <ContractSearch {...props} /> : <ContractIdInput {...props} />;
}

function ContractIdInput({ value, onChange, label, error, description, required }: ContractSelectProps) {
  const { t } = useTranslation('billing');
  return (
    <TextInput
      label={label}
      value={value ?? ''}
      onChange={(event) => onChange(event.currentTarget.value.trim() || null)}
      placeholder={t('contractSelect.idPlaceholder')}
      error={error}
      description={description}
      required={required}
      autoComplete="off"
    />
  );
}

/**
 * A search box with a list of contracts found, built from Mantine's Combobox rather than its Select: the
 * Select names its (always mounted) option list after the label too, so "Contract" would name two elements.
 */
function ContractSearch({ value, onChange, label, error, description, required }: ContractSelectProps) {
  const { t } = useTranslation('billing');
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const selected = useContractSummary(value);
  // null while the user is not typing: the input shows the chosen contract.
  const [search, setSearch] = useState<string | null>(null);
  const shown = search ?? (value ? (selected.data ? optionLabel(selected.data) : value) : '');
  // The input shows "number · party" once chosen; only the number part is a search term.
  const [term] = useDebouncedValue((search ?? '').split(' · ')[0]?.trim() ?? '', 250);
  const list = useQuery({
    queryKey: ['leasing', 'contracts', 'search', term],
    staleTime: 30_000,
    queryFn: async () => {
      const page = await unwrap(
        api.leasing.GET('/v1/contracts', {
          params: {
            query: { limit: 20, deleted: 'exclude', sort: '-number', ...(term ? { number: term } : {}) },
          },
        }),
      );
      return page.items.map((contract): ContractChoice => ({
        id: contract.id,
        number: contract.number,
        partyName: contract.party.name ?? contract.party.id,
        currency: contract.financedAmount.currency,
      }));
    },
  });
  const choices = list.data ?? [];
  const choose = (id: string | null) => {
    onChange(
      id,
      choices.find((choice) => choice.id === id),
    );
    setSearch(null);
    combobox.closeDropdown();
  };
  return (
    <Combobox store={combobox} onOptionSubmit={(id) => choose(id)}>
      <Combobox.Target>
        <TextInput
          label={label}
          value={shown}
          placeholder={t('contractSelect.placeholder')}
          onChange={(event) => {
            const text = event.currentTarget.value;
            setSearch(text);
            if (text === '' && value) onChange(null);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => {
            combobox.closeDropdown();
            setSearch(null);
          }}
          rightSection={
            value ? (
              <CloseButton
                size="sm"
                aria-label={t('contractSelect.clear')}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(null)}
              />
            ) : (
              <Combobox.Chevron />
            )
          }
          rightSectionPointerEvents={value ? 'all' : 'none'}
          error={error}
          description={description}
          required={required}
          autoComplete="off"
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options aria-label={t('contractSelect.results')}>
          {choices.length === 0 ? (
            <Combobox.Empty>
              {list.isFetching ? t('contractSelect.searching') : t('contractSelect.none')}
            </Combobox.Empty>
          ) : (
            choices.map((choice) => (
              <Combobox.Option value={choice.id} key={choice.id} active={choice.id === value}>
                {optionLabel(choice)}
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
