import { Autocomplete, Button, Fieldset, Group, SimpleGrid, TextInput } from '@mantine/core';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The audit search's filters as the URL keeps them: `from` and `to` are ISO timestamps (UTC). */
export interface AuditFilterValues {
  service: string;
  entityType: string;
  entityId: string;
  actor: string;
  actorName: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilterValues = {
  service: '',
  entityType: '',
  entityId: '',
  actor: '',
  actorName: '',
  from: '',
  to: '',
};

/** The services that publish what audit records: suggestions only, any name can be typed. */
const SERVICES = ['sso', 'parties', 'assets', 'leasing', 'billing', 'finance', 'audit'];

/** `2026-01-31T10:15:00.000Z` → the `datetime-local` value in the user's time zone, and back. */
export function toLocalInput(iso: string): string {
  return iso === '' ? '' : dayjs(iso).format('YYYY-MM-DDTHH:mm');
}
export function fromLocalInput(local: string): string {
  if (local === '') return '';
  const moment = dayjs(local);
  return moment.isValid() ? moment.toISOString() : '';
}

/**
 * The search form. The search runs on "Search" (Enter in any field), not per keystroke. `errors` are the
 * API's complaints about a filter, by field name (`from`, `entityId`…), shown beside that field.
 */
export function AuditFilters({
  values,
  onSearch,
  errors = {},
}: {
  values: AuditFilterValues;
  onSearch: (values: AuditFilterValues) => void;
  errors?: Record<string, string>;
}) {
  const { t } = useTranslation('audit');
  const [draft, setDraft] = useState({
    ...values,
    from: toLocalInput(values.from),
    to: toLocalInput(values.to),
  });
  const set = (field: keyof AuditFilterValues) => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSearch({
          service: draft.service.trim(),
          entityType: draft.entityType.trim(),
          entityId: draft.entityId.trim(),
          actor: draft.actor.trim(),
          actorName: draft.actorName.trim(),
          from: fromLocalInput(draft.from),
          to: fromLocalInput(draft.to),
        });
      }}
    >
      <Fieldset legend={t('filters.legend')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <Autocomplete
            label={t('filters.service')}
            data={SERVICES}
            value={draft.service}
            onChange={set('service')}
            error={errors.service}
          />
          <TextInput
            label={t('filters.entityType')}
            placeholder={t('filters.entityTypeHint')}
            value={draft.entityType}
            onChange={(event) => set('entityType')(event.currentTarget.value)}
            error={errors.entityType}
          />
          <TextInput
            label={t('filters.entityId')}
            value={draft.entityId}
            onChange={(event) => set('entityId')(event.currentTarget.value)}
            error={errors.entityId}
          />
          <TextInput
            label={t('filters.actorName')}
            placeholder={t('filters.actorNameHint')}
            value={draft.actorName}
            onChange={(event) => set('actorName')(event.currentTarget.value)}
            error={errors.actorName}
          />
          <TextInput
            label={t('filters.actor')}
            placeholder={t('filters.actorHint')}
            value={draft.actor}
            onChange={(event) => set('actor')(event.currentTarget.value)}
            error={errors.actor}
          />
          <TextInput
            type="datetime-local"
            label={t('filters.from')}
            value={draft.from}
            onChange={(event) => set('from')(event.currentTarget.value)}
            error={errors.from}
          />
          <TextInput
            type="datetime-local"
            label={t('filters.to')}
            value={draft.to}
            onChange={(event) => set('to')(event.currentTarget.value)}
            error={errors.to}
          />
        </SimpleGrid>
        <Group mt="md" gap="sm">
          <Button type="submit">{t('filters.search')}</Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(NO_FILTERS);
              onSearch(NO_FILTERS);
            }}
          >
            {t('filters.clear')}
          </Button>
        </Group>
      </Fieldset>
    </form>
  );
}
