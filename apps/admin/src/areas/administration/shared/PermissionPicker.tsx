import {
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Input,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GRANT_PATTERN } from './forms.ts';

/** One permission of sso's catalogue (`GET /v1/permissions`): what services check, and what it allows. */
export interface CatalogueEntry {
  name: string;
  description: string;
}

/**
 * Picks permissions from the catalogue, grouped by service, with a filter. Grants the catalogue does not list
 * (wildcards such as `parties:*:read`, or permissions of a service that no longer exists) stay visible and can
 * be removed, and a wildcard grant can be added by hand; sso judges it.
 */
export function PermissionPicker({
  label,
  catalogue,
  value,
  onChange,
  error,
  disabled = false,
}: {
  label: string;
  catalogue: readonly CatalogueEntry[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: ReactNode;
  disabled?: boolean;
}) {
  const { t } = useTranslation('administration');
  const errorId = useId();
  const [filter, setFilter] = useState('');
  const [grant, setGrant] = useState('');
  const [grantError, setGrantError] = useState<string | null>(null);
  const selected = useMemo(() => new Set(value), [value]);
  const known = useMemo(() => new Set(catalogue.map((entry) => entry.name)), [catalogue]);
  const extras = value.filter((name) => !known.has(name));
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byService = new Map<string, CatalogueEntry[]>();
    for (const entry of catalogue) {
      if (needle && !`${entry.name} ${entry.description}`.toLowerCase().includes(needle)) continue;
      const service = entry.name.split(':')[0] ?? entry.name;
      byService.set(service, [...(byService.get(service) ?? []), entry]);
    }
    return [...byService.entries()];
  }, [catalogue, filter]);

  const set = (names: readonly string[], on: boolean) => {
    const next = new Set(value);
    for (const name of names) {
      if (on) next.add(name);
      else next.delete(name);
    }
    onChange([...next]);
  };
  const addGrant = () => {
    const candidate = grant.trim();
    if (!GRANT_PATTERN.test(candidate)) {
      setGrantError(t('picker.invalidGrant'));
      return;
    }
    setGrantError(null);
    setGrant('');
    if (!selected.has(candidate)) onChange([...value, candidate]);
  };

  return (
    <Fieldset
      legend={label}
      disabled={disabled}
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <TextInput
            label={t('picker.filter')}
            value={filter}
            onChange={(event) => setFilter(event.currentTarget.value)}
            w={{ base: '100%', sm: 320 }}
          />
          <Badge variant="light" size="lg">
            {t('picker.selected', { count: value.length })}
          </Badge>
        </Group>
        {error && (
          <Input.Error id={errorId} role="alert">
            {error}
          </Input.Error>
        )}
        <ScrollArea.Autosize mah={520} type="auto" offsetScrollbars>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {groups.map(([service, entries]) => {
              const names = entries.map((entry) => entry.name);
              const held = names.filter((name) => selected.has(name)).length;
              return (
                <Paper key={service} withBorder p="sm">
                  <Checkbox
                    fw={600}
                    mb="xs"
                    label={t('picker.allOf', { service })}
                    checked={held === names.length}
                    indeterminate={held > 0 && held < names.length}
                    onChange={(event) => set(names, event.currentTarget.checked)}
                  />
                  <Stack gap={6} pl="md">
                    {entries.map((entry) => (
                      <Checkbox
                        key={entry.name}
                        label={entry.name}
                        description={entry.description}
                        checked={selected.has(entry.name)}
                        onChange={(event) => set([entry.name], event.currentTarget.checked)}
                      />
                    ))}
                  </Stack>
                </Paper>
              );
            })}
          </SimpleGrid>
          {groups.length === 0 && <Text c="dimmed">{t('picker.noMatch')}</Text>}
        </ScrollArea.Autosize>
        {extras.length > 0 && (
          <Paper withBorder p="sm">
            <Text fw={600} size="sm" mb="xs">
              {t('picker.other')}
            </Text>
            <Stack gap={6}>
              {extras.map((name) => (
                <Checkbox key={name} label={name} checked onChange={() => set([name], false)} />
              ))}
            </Stack>
          </Paper>
        )}
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={t('picker.addGrant')}
            description={t('picker.addGrantHint')}
            value={grant}
            onChange={(event) => {
              setGrant(event.currentTarget.value);
              setGrantError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addGrant();
              }
            }}
            error={grantError}
            w={{ base: '100%', sm: 320 }}
          />
          <Button
            variant="default"
            mt={{ base: 0, sm: 44 }}
            onClick={addGrant}
            disabled={grant.trim() === ''}
          >
            {t('picker.add')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
