import { Button, Group, PasswordInput, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormProblem, splitFieldErrors } from '../../../ui/FormProblem.tsx';
import { AUTH_KINDS, CONNECTOR_KINDS, PROTOCOLS, type Connector, type NewConnector } from '../types.ts';
import {
  connectorBody,
  connectorFormValues,
  isCron,
  isHttpUrl,
  presetsFor,
  testSettings,
  type ConnectorFormValues,
} from './connector-form.ts';
import { ConnectionTestButton, ConnectionTestOutcome, useConnectionTest } from './ConnectionTest.tsx';

/** The fields a connection test needs filled in. */
const TESTED_FIELDS = ['baseUrl', 'username', 'tokenUrl', 'clientId', 'secret'] as const;

/** The API's names of the fields (problem+json) → the form's. */
const API_FIELDS: Record<string, keyof ConnectorFormValues> = {
  name: 'name',
  kind: 'kind',
  protocol: 'protocol',
  baseUrl: 'baseUrl',
  'auth.kind': 'authKind',
  'auth.username': 'username',
  'auth.tokenUrl': 'tokenUrl',
  'auth.clientId': 'clientId',
  'auth.scope': 'scope',
  'auth.password': 'secret',
  'auth.clientSecret': 'secret',
  mapping: 'preset',
  'mapping.preset': 'preset',
  schedule: 'schedule',
  enabled: 'enabled',
};

export interface ConnectorFormProps {
  connector?: Connector;
  onSubmit: (body: NewConnector) => Promise<unknown>;
  onCancel?: () => void;
}

/**
 * Creates or changes a connector. The credentials are write-only: the field starts empty and says whether
 * a secret is stored ("set"); an empty field keeps it. "Test connection" tries the settings as typed before
 * anything is saved. The API judges the rest (the URL, the cron expression).
 */
export function ConnectorForm({ connector, onSubmit, onCancel }: ConnectorFormProps) {
  const { t } = useTranslation('integrations');
  const [refused, setRefused] = useState<{ error: unknown; other: string[] } | null>(null);
  const form = useForm<ConnectorFormValues>({
    mode: 'controlled',
    initialValues: connectorFormValues(connector),
    validate: {
      name: (value) => (value.trim() === '' ? t('form.required') : null),
      baseUrl: (value) =>
        value.trim() === '' ? t('form.required') : isHttpUrl(value) ? null : t('form.urlFormat'),
      username: (value, values) =>
        values.authKind === 'basic' && value.trim() === '' ? t('form.required') : null,
      tokenUrl: (value, values) =>
        values.authKind !== 'oauth2'
          ? null
          : value.trim() === ''
            ? t('form.required')
            : isHttpUrl(value)
              ? null
              : t('form.urlFormat'),
      clientId: (value, values) =>
        values.authKind === 'oauth2' && value.trim() === '' ? t('form.required') : null,
      // A new connector with an authentication needs its secret; a stored one is kept when left empty.
      secret: (value, values) =>
        values.authKind !== 'none' && value === '' && !connector?.credentialsSet ? t('form.required') : null,
      schedule: (value) => (value.trim() === '' || isCron(value) ? null : t('form.cronFormat')),
    },
  });
  const values = form.values;
  const test = useConnectionTest(connector?.id);
  const presets = presetsFor(values.kind, connector?.mapping.preset);

  // The settings as typed, for a connection test; null (the fields marked) when one it needs is missing.
  const settingsToTest = () => {
    const invalid = TESTED_FIELDS.map((field) => form.validateField(field).hasError).some(Boolean);
    return invalid ? null : testSettings(form.getValues());
  };

  const submit = async (submitted: ConnectorFormValues) => {
    setRefused(null);
    try {
      await onSubmit(connectorBody(submitted));
    } catch (error) {
      const { fieldErrors, other } = splitFieldErrors(error, API_FIELDS);
      form.setErrors(fieldErrors);
      setRefused({ error, other });
    }
  };

  return (
    <form onSubmit={form.onSubmit((submitted) => submit(submitted))} noValidate autoComplete="off">
      <Stack gap="sm" maw={760}>
        <FormProblem error={refused?.error} title={t('form.problem')} other={refused?.other ?? []} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('form.name')} required maxLength={100} {...form.getInputProps('name')} />
          <Select
            label={t('form.kind')}
            required
            allowDeselect={false}
            // A connector stays the kind it was made as.
            disabled={!!connector}
            data={CONNECTOR_KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
            {...form.getInputProps('kind')}
            onChange={(value) => {
              if (!value) return;
              const kind = value as ConnectorFormValues['kind'];
              form.setFieldValue('kind', kind);
              const offered = presetsFor(kind);
              if (!offered.includes(form.values.preset)) form.setFieldValue('preset', offered[0]!);
            }}
          />
          <Select
            label={t('form.protocol')}
            required
            allowDeselect={false}
            data={PROTOCOLS.map((value) => ({ value, label: t(`protocol.${value}`) }))}
            {...form.getInputProps('protocol')}
          />
          <Select
            label={t('form.preset')}
            description={t('form.presetHint')}
            required
            allowDeselect={false}
            data={presets.map((value) => ({ value, label: t(`preset.${value}`) }))}
            {...form.getInputProps('preset')}
          />
        </SimpleGrid>
        <TextInput
          label={t('form.baseUrl')}
          description={t('form.baseUrlHint')}
          required
          type="url"
          {...form.getInputProps('baseUrl')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('form.authKind')}
            required
            allowDeselect={false}
            data={AUTH_KINDS.map((value) => ({ value, label: t(`authKind.${value}`) }))}
            {...form.getInputProps('authKind')}
          />
          {values.authKind === 'basic' && (
            <TextInput
              label={t('form.username')}
              required
              autoComplete="off"
              {...form.getInputProps('username')}
            />
          )}
          {values.authKind === 'oauth2' && (
            <>
              <TextInput label={t('form.tokenUrl')} required type="url" {...form.getInputProps('tokenUrl')} />
              <TextInput label={t('form.clientId')} required {...form.getInputProps('clientId')} />
              <TextInput label={t('form.scope')} {...form.getInputProps('scope')} />
            </>
          )}
        </SimpleGrid>
        {values.authKind !== 'none' && (
          <PasswordInput
            label={values.authKind === 'basic' ? t('form.password') : t('form.clientSecret')}
            description={connector?.credentialsSet ? t('form.secretSet') : t('form.secretNotSet')}
            required={!connector?.credentialsSet}
            // Never offered by the browser's password manager, never filled from the server.
            autoComplete="new-password"
            {...form.getInputProps('secret')}
          />
        )}
        <TextInput
          label={t('form.schedule')}
          description={t('form.scheduleHint')}
          placeholder="*/15 * * * *"
          {...form.getInputProps('schedule')}
        />
        <Switch label={t('form.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />
        <Group justify="space-between" gap="xs">
          <ConnectionTestButton test={test} settings={settingsToTest} />
          <Group gap="xs">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('common:actions.cancel')}
              </Button>
            )}
            <Button type="submit" loading={form.submitting}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Group>
        <ConnectionTestOutcome test={test} />
      </Stack>
    </form>
  );
}
