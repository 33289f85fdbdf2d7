import {
  Button,
  Group,
  MultiSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { problemForForm } from '../shared/forms.ts';
import { ProblemAlert } from '../shared/ProblemAlert.tsx';

/** A role as a user's list of roles names it. */
export interface RoleRef {
  id: string;
  name: string;
}

export interface UserCreateValues {
  username: string;
  fullName: string;
  email: string | null;
  password: string;
  active: boolean;
  roleIds: string[];
}

export interface UserProfileValues {
  fullName: string;
  email: string | null;
}

/** Only the obvious: something@something.tld. sso judges the rest. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CREATE_FIELDS = ['username', 'fullName', 'email', 'password', 'active', 'roleIds'] as const;
const PROFILE_FIELDS = ['fullName', 'email'] as const;

/** A new user: name, e-mail, first password, and the roles to start with (when the reader may list roles). */
export function UserCreateForm({
  roles,
  onSubmit,
  error,
  submitting = false,
}: {
  roles: readonly RoleRef[] | undefined;
  onSubmit: (values: UserCreateValues) => void;
  error?: unknown;
  submitting?: boolean;
}) {
  const { t } = useTranslation('administration');
  const form = useForm({
    initialValues: {
      username: '',
      fullName: '',
      email: '',
      password: '',
      active: true,
      roleIds: [] as string[],
    },
    validate: {
      username: (value) => (value.trim() === '' ? t('users.required') : null),
      fullName: (value) => (value.trim() === '' ? t('users.required') : null),
      email: (value) => (value.trim() !== '' && !EMAIL.test(value.trim()) ? t('users.emailFormat') : null),
      password: (value) => (value === '' ? t('users.required') : null),
    },
  });
  useEffect(() => {
    form.setErrors(problemForForm(error, CREATE_FIELDS).byField);
  }, [error]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        onSubmit({
          username: values.username.trim(),
          fullName: values.fullName.trim(),
          email: values.email.trim() === '' ? null : values.email.trim(),
          password: values.password,
          active: values.active,
          roleIds: values.roleIds,
        }),
      )}
    >
      <Stack>
        <ProblemAlert error={error} fields={CREATE_FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('users.username')}
            withAsterisk
            autoComplete="off"
            {...form.getInputProps('username')}
          />
          <TextInput label={t('users.fullName')} withAsterisk {...form.getInputProps('fullName')} />
          <TextInput label={t('users.email')} type="email" {...form.getInputProps('email')} />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHint')}
            withAsterisk
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
        </SimpleGrid>
        {roles && (
          <MultiSelect
            label={t('users.roles')}
            data={roles.map((role) => ({ value: role.id, label: role.name }))}
            searchable
            {...form.getInputProps('roleIds')}
          />
        )}
        <Switch label={t('users.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
        <Group>
          <Button type="submit" loading={submitting}>
            {t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A user's name and e-mail; the username never changes (it names the user in the audit trail). */
export function UserProfileForm({
  initial,
  onSubmit,
  error,
  submitting = false,
  readOnly = false,
}: {
  initial: UserProfileValues;
  onSubmit: (values: UserProfileValues) => void;
  error?: unknown;
  submitting?: boolean;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('administration');
  const form = useForm({
    initialValues: { fullName: initial.fullName, email: initial.email ?? '' },
    validate: {
      fullName: (value) => (value.trim() === '' ? t('users.required') : null),
      email: (value) => (value.trim() !== '' && !EMAIL.test(value.trim()) ? t('users.emailFormat') : null),
    },
  });
  useEffect(() => {
    form.setErrors(problemForForm(error, PROFILE_FIELDS).byField);
  }, [error]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        onSubmit({
          fullName: values.fullName.trim(),
          email: values.email.trim() === '' ? null : values.email.trim(),
        }),
      )}
    >
      <Stack>
        <ProblemAlert error={error} fields={PROFILE_FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('users.fullName')}
            withAsterisk
            disabled={readOnly}
            {...form.getInputProps('fullName')}
          />
          <TextInput
            label={t('users.email')}
            type="email"
            disabled={readOnly}
            {...form.getInputProps('email')}
          />
        </SimpleGrid>
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

/** Sets a user's password (sso ends the user's sessions). */
export function SetPasswordForm({
  onSubmit,
  error,
  submitting = false,
}: {
  onSubmit: (password: string) => void;
  error?: unknown;
  submitting?: boolean;
}) {
  const { t } = useTranslation('administration');
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (value) => (value === '' ? t('users.required') : null) },
  });
  useEffect(() => {
    form.setErrors(problemForForm(error, ['password']).byField);
  }, [error]);
  return (
    <form noValidate onSubmit={form.onSubmit((values) => onSubmit(values.password))}>
      <Stack>
        <ProblemAlert error={error} fields={['password']} />
        <Group align="flex-start" wrap="wrap">
          <PasswordInput
            label={t('users.newPassword')}
            description={t('users.passwordHint')}
            autoComplete="new-password"
            w={{ base: '100%', sm: 320 }}
            {...form.getInputProps('password')}
          />
          <Button type="submit" mt={{ base: 0, sm: 46 }} loading={submitting}>
            {t('users.setPassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
