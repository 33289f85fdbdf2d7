import { Button, Group, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormProblem } from '../../billing/common/FormProblem.tsx';
import { splitFieldErrors } from '../../../ui/FormProblem.tsx';
import {
  ACCOUNT_TYPES,
  type Account,
  type AccountChange,
  type AccountType,
  type NewAccount,
} from '../common/types.ts';
import { CLOSED_LIST } from '../../billing/common/values.ts';

interface AccountFormValues {
  code: string;
  name: string;
  type: AccountType | '';
  currency: string;
  disabled: boolean;
}

const API_FIELDS: Record<string, keyof AccountFormValues> = {
  code: 'code',
  name: 'name',
  type: 'type',
  currency: 'currency',
  disabled: 'disabled',
};

export type AccountFormProps =
  | { mode: 'create'; onSubmit: (account: NewAccount) => void; pending?: boolean; error?: unknown }
  | {
      mode: 'edit';
      account: Account;
      onSubmit: (change: AccountChange) => void;
      pending?: boolean;
      error?: unknown;
    };

/**
 * Open an account (code, name, type, currency) or change one: an account's code, type and currency are fixed
 * once it exists (entries point at them), so an edit renames it or disables/enables it.
 */
export function AccountForm(props: AccountFormProps) {
  const { t } = useTranslation('finance');
  const editing = props.mode === 'edit' ? props.account : null;
  const form = useForm<AccountFormValues>({
    initialValues: {
      code: editing?.code ?? '',
      name: editing?.name ?? '',
      type: editing?.type ?? '',
      currency: editing?.currency ?? '',
      disabled: editing?.disabled ?? false,
    },
    validate: {
      code: (value) =>
        editing
          ? null
          : /^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$/.test(value.trim())
            ? null
            : t('account.codeInvalid'),
      name: (value) => (value.trim() === '' ? t('account.nameRequired') : null),
      type: (value) => (editing || value !== '' ? null : t('account.typeRequired')),
      currency: (value) =>
        editing || value.trim() === '' || /^[A-Za-z]{3}$/.test(value.trim())
          ? null
          : t('report.currencyInvalid'),
    },
  });
  const { fieldErrors, other } = splitFieldErrors(props.error, API_FIELDS);
  const apiErrorKey = JSON.stringify(fieldErrors);
  useEffect(() => {
    if (Object.keys(fieldErrors).length > 0) form.setErrors(fieldErrors);
  }, [props.error, apiErrorKey]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        if (props.mode === 'create') {
          const currency = values.currency.trim().toUpperCase();
          props.onSubmit({
            code: values.code.trim(),
            name: values.name.trim(),
            type: values.type as AccountType,
            ...(currency ? { currency } : {}),
          });
        } else {
          const change: AccountChange = {};
          if (values.name.trim() !== props.account.name) change.name = values.name.trim();
          if (values.disabled !== props.account.disabled) change.disabled = values.disabled;
          props.onSubmit(change);
        }
      })}
    >
      <Stack gap="md">
        <FormProblem error={props.error} other={other} hasFieldErrors={Object.keys(fieldErrors).length > 0} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <TextInput
            label={t('account.code')}
            required
            disabled={!!editing}
            {...form.getInputProps('code')}
          />
          <TextInput label={t('account.name')} required {...form.getInputProps('name')} />
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('account.type')}
            required
            disabled={!!editing}
            data={ACCOUNT_TYPES.map((type) => ({ value: type, label: t(`accountType.${type}`) }))}
            {...form.getInputProps('type')}
          />
          <TextInput
            label={t('account.currency')}
            description={editing ? undefined : t('account.currencyHelp')}
            maxLength={3}
            disabled={!!editing}
            {...form.getInputProps('currency')}
          />
        </SimpleGrid>
        {editing && (
          <Switch
            label={t('account.disabledLabel')}
            description={t('account.disabledHelp')}
            {...form.getInputProps('disabled', { type: 'checkbox' })}
          />
        )}
        <Group>
          <Button type="submit" loading={props.pending}>
            {editing ? t('common:actions.save') : t('account.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
