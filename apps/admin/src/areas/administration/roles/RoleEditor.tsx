import { Alert, Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { problemForForm } from '../shared/forms.ts';
import { PermissionPicker, type CatalogueEntry } from '../shared/PermissionPicker.tsx';
import { ProblemAlert } from '../shared/ProblemAlert.tsx';

export interface RoleValues {
  name: string;
  description: string;
  permissions: string[];
}

const FIELDS = ['name', 'description', 'permissions'] as const;
const EMPTY: RoleValues = { name: '', description: '', permissions: [] };

/**
 * Creates or changes a role: name, description and the permissions picked from the catalogue. `error` is the
 * API's answer to the last save: each complaint beside its field, the rest at the top. A built-in role is
 * shown read-only, with the reason.
 */
export function RoleEditor({
  initial = EMPTY,
  catalogue,
  onSubmit,
  error,
  submitting = false,
  readOnly = false,
  readOnlyReason,
}: {
  initial?: RoleValues;
  catalogue: readonly CatalogueEntry[];
  onSubmit: (values: RoleValues) => void;
  error?: unknown;
  submitting?: boolean;
  readOnly?: boolean;
  /** Why the role cannot be changed here, shown above a read-only form. */
  readOnlyReason?: string;
}) {
  const { t } = useTranslation('administration');
  const form = useForm<RoleValues>({
    initialValues: initial,
    validate: { name: (value) => (value.trim() === '' ? t('roles.nameRequired') : null) },
  });
  useEffect(() => {
    form.setErrors(problemForForm(error, FIELDS).byField);
    // Only a new answer of the API sets the errors (`form` is new each render); typing clears the field's own.
  }, [error]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        onSubmit({ ...values, name: values.name.trim(), description: values.description.trim() }),
      )}
    >
      <Stack>
        {readOnly && readOnlyReason && <Alert color="blue">{readOnlyReason}</Alert>}
        <ProblemAlert error={error} fields={FIELDS} />
        <TextInput
          label={t('roles.name')}
          withAsterisk
          disabled={readOnly}
          maw={480}
          {...form.getInputProps('name')}
        />
        <Textarea
          label={t('roles.description')}
          rows={3}
          disabled={readOnly}
          maw={640}
          {...form.getInputProps('description')}
        />
        <PermissionPicker
          label={t('roles.permissions')}
          catalogue={catalogue}
          value={form.values.permissions}
          onChange={(permissions) => {
            form.setFieldValue('permissions', permissions);
            form.clearFieldError('permissions');
          }}
          error={form.errors.permissions}
          disabled={readOnly}
        />
        {!readOnly && (
          <Group>
            <Button type="submit" loading={submitting}>
              {t('common:actions.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
