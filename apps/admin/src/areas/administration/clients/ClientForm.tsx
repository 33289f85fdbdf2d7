import { Button, Group, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { problemForForm } from '../shared/forms.ts';
import { PermissionPicker, type CatalogueEntry } from '../shared/PermissionPicker.tsx';
import { ProblemAlert } from '../shared/ProblemAlert.tsx';

export interface ClientValues {
  clientId: string;
  name: string;
  scopes: string[];
  active: boolean;
}

const FIELDS = ['clientId', 'name', 'scopes', 'active'] as const;
const EMPTY: ClientValues = { clientId: '', name: '', scopes: [], active: true };

/**
 * A service client: its client ID (fixed once created), a name, and the scopes its tokens carry, picked from
 * the permission catalogue.
 */
export function ClientForm({
  initial = EMPTY,
  mode,
  catalogue,
  onSubmit,
  error,
  submitting = false,
}: {
  initial?: ClientValues;
  mode: 'create' | 'edit';
  catalogue: readonly CatalogueEntry[];
  onSubmit: (values: ClientValues) => void;
  error?: unknown;
  submitting?: boolean;
}) {
  const { t } = useTranslation('administration');
  const form = useForm<ClientValues>({
    initialValues: initial,
    validate: {
      clientId: (value) => (mode === 'create' && value.trim() === '' ? t('clients.required') : null),
      name: (value) => (value.trim() === '' ? t('clients.required') : null),
    },
  });
  useEffect(() => {
    form.setErrors(problemForForm(error, FIELDS).byField);
  }, [error]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        onSubmit({ ...values, clientId: values.clientId.trim(), name: values.name.trim() }),
      )}
    >
      <Stack>
        <ProblemAlert error={error} fields={FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('clients.clientId')}
            description={mode === 'create' ? t('clients.clientIdHint') : undefined}
            withAsterisk={mode === 'create'}
            disabled={mode === 'edit'}
            autoComplete="off"
            {...form.getInputProps('clientId')}
          />
          <TextInput label={t('clients.name')} withAsterisk {...form.getInputProps('name')} />
        </SimpleGrid>
        <PermissionPicker
          label={t('clients.scopes')}
          catalogue={catalogue}
          value={form.values.scopes}
          onChange={(scopes) => {
            form.setFieldValue('scopes', scopes);
            form.clearFieldError('scopes');
          }}
          error={form.errors.scopes}
        />
        <Switch label={t('clients.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group>
          <Button type="submit" loading={submitting}>
            {mode === 'create' ? t('clients.create') : t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
