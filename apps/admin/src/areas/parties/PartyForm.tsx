import { Button, Fieldset, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { FormProblem, splitFieldErrors } from '../../ui/FormProblem.tsx';
import { countryOptions } from './countries.ts';
import {
  composedName,
  emptyAddress,
  emptyContact,
  emptyPartyValues,
  partyValues,
  validateParty,
  type PartyFormValues,
} from './party-form.ts';
import { ADDRESS_TYPES, PARTY_KINDS, type Party } from './types.ts';

export interface PartyFormProps {
  /** The stored party, when editing; its kind is then fixed. */
  party?: Party;
  onSubmit: (values: PartyFormValues) => void;
  onCancel?: () => void;
  /** The API's refusal of the last submit: each field's message beside the field, the rest at the top. */
  error?: unknown;
  submitting?: boolean;
}

const COMPANY_FIELDS = ['name', 'legalForm', 'registrationNumber'];
const PERSON_FIELDS = ['name', 'firstName', 'lastName'];
const COMMON_FIELDS = ['kind', 'country', 'taxId', 'email', 'phone'];
const LIST_FIELD = /^(addresses|contacts)\.(\d+)\.[a-zA-Z0-9]+$/;

/** The create and edit form of a party: a company and a person have different fields. */
export function PartyForm({ party, onSubmit, onCancel, error, submitting }: PartyFormProps) {
  const { t, i18n } = useTranslation('parties');
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const form = useForm<PartyFormValues>({
    mode: 'controlled',
    initialValues: party ? partyValues(party) : emptyPartyValues(),
    validate: (values) =>
      Object.fromEntries(
        Object.entries(validateParty(values)).map(([path, key]) => [path, t(`validation.${key}`)]),
      ),
  });

  useEffect(() => {
    if (error instanceof ApiError) form.setErrors(formFieldErrors(error.problem));
    // Once per refusal: `form` is a new object on every render.
  }, [error]);

  const values = form.getValues();
  const company = values.kind === 'company';
  /** Whether the form has an input for the API's field (else its message goes to the top). */
  const shown = (field: string) => {
    if ((company ? COMPANY_FIELDS : PERSON_FIELDS).includes(field) || COMMON_FIELDS.includes(field))
      return true;
    const match = LIST_FIELD.exec(field);
    if (!match) return false;
    const list = match[1] === 'addresses' ? values.addresses : values.contacts;
    return Number(match[2]) < list.length;
  };

  /** A person's full name follows the first and last name until someone writes it differently. */
  const nameInput = (field: 'firstName' | 'lastName') => {
    const props = form.getInputProps(field);
    return {
      ...props,
      onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
        const current = form.getValues();
        const next = { ...current, [field]: event.currentTarget.value };
        if (current.name.trim() === composedName(current.firstName, current.lastName))
          form.setFieldValue('name', composedName(next.firstName, next.lastName));
        form.setFieldValue(field, next[field]);
      },
    };
  };

  return (
    <form onSubmit={form.onSubmit((submitted) => onSubmit(submitted))} noValidate>
      <Stack gap="md">
        <FormProblem error={error} title={t('form.notSaved')} other={splitFieldErrors(error, shown).other} />

        <Fieldset legend={t('sections.identity')}>
          <Stack gap="sm">
            <Radio.Group label={t('fields.kind')} {...form.getInputProps('kind')} withAsterisk>
              <Group mt={4}>
                {PARTY_KINDS.map((kind) => (
                  <Radio key={kind} value={kind} label={t(`kind.${kind}`)} disabled={!!party} />
                ))}
              </Group>
            </Radio.Group>
            {company ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('fields.legalName')} withAsterisk {...form.getInputProps('name')} />
                <TextInput
                  label={t('fields.legalForm')}
                  placeholder={t('fields.legalFormHint')}
                  {...form.getInputProps('legalForm')}
                />
                <TextInput
                  label={t('fields.registrationNumber')}
                  {...form.getInputProps('registrationNumber')}
                />
              </SimpleGrid>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('fields.firstName')} {...nameInput('firstName')} />
                <TextInput label={t('fields.lastName')} {...nameInput('lastName')} />
                <TextInput
                  label={t('fields.fullName')}
                  description={t('fields.fullNameHint')}
                  withAsterisk
                  {...form.getInputProps('name')}
                />
              </SimpleGrid>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('fields.country')}
                data={countries}
                searchable
                withAsterisk
                nothingFoundMessage="—"
                {...form.getInputProps('country')}
                onChange={(value) => form.setFieldValue('country', value ?? '')}
              />
              <TextInput
                label={t('fields.taxId')}
                description={t('fields.taxIdHint')}
                {...form.getInputProps('taxId')}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('sections.contactDetails')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('fields.email')} type="email" {...form.getInputProps('email')} />
            <TextInput
              label={t('fields.phone')}
              type="tel"
              placeholder={t('fields.phoneHint')}
              {...form.getInputProps('phone')}
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('addresses.title')}>
          <Stack gap="sm">
            {values.addresses.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('addresses.none')}
              </Text>
            )}
            {values.addresses.map((_, index) => (
              <Fieldset
                key={form.key(`addresses.${index}`)}
                legend={t('addresses.number', { number: index + 1 })}
                variant="filled"
              >
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                  <Select
                    label={t('addresses.type')}
                    data={ADDRESS_TYPES.map((type) => ({
                      value: type,
                      label: t(`addresses.types.${type}`),
                    }))}
                    allowDeselect={false}
                    {...form.getInputProps(`addresses.${index}.type`)}
                  />
                  <TextInput
                    label={t('addresses.line1')}
                    withAsterisk
                    {...form.getInputProps(`addresses.${index}.line1`)}
                  />
                  <TextInput
                    label={t('addresses.line2')}
                    {...form.getInputProps(`addresses.${index}.line2`)}
                  />
                  <TextInput
                    label={t('addresses.postalCode')}
                    withAsterisk
                    {...form.getInputProps(`addresses.${index}.postalCode`)}
                  />
                  <TextInput
                    label={t('addresses.city')}
                    withAsterisk
                    {...form.getInputProps(`addresses.${index}.city`)}
                  />
                  <Select
                    label={t('addresses.country')}
                    data={countries}
                    searchable
                    withAsterisk
                    {...form.getInputProps(`addresses.${index}.country`)}
                    onChange={(value) => form.setFieldValue(`addresses.${index}.country`, value ?? '')}
                  />
                </SimpleGrid>
                <Group justify="flex-end" mt="xs">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() => form.removeListItem('addresses', index)}
                  >
                    {t('addresses.remove', { number: index + 1 })}
                  </Button>
                </Group>
              </Fieldset>
            ))}
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => form.insertListItem('addresses', emptyAddress(form.getValues().country))}
              >
                {t('addresses.add')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('contacts.title')}>
          <Stack gap="sm">
            {values.contacts.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('contacts.none')}
              </Text>
            )}
            {values.contacts.map((_, index) => (
              <Fieldset
                key={form.key(`contacts.${index}`)}
                legend={t('contacts.number', { number: index + 1 })}
                variant="filled"
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('contacts.name')}
                    withAsterisk
                    {...form.getInputProps(`contacts.${index}.name`)}
                  />
                  <TextInput
                    label={t('contacts.role')}
                    placeholder={t('contacts.rolePlaceholder')}
                    {...form.getInputProps(`contacts.${index}.role`)}
                  />
                  <TextInput
                    label={t('contacts.email')}
                    type="email"
                    {...form.getInputProps(`contacts.${index}.email`)}
                  />
                  <TextInput
                    label={t('contacts.phone')}
                    type="tel"
                    {...form.getInputProps(`contacts.${index}.phone`)}
                  />
                </SimpleGrid>
                <Group justify="flex-end" mt="xs">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() => form.removeListItem('contacts', index)}
                  >
                    {t('contacts.remove', { number: index + 1 })}
                  </Button>
                </Group>
              </Fieldset>
            ))}
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => form.insertListItem('contacts', emptyContact())}
              >
                {t('contacts.add')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common:actions.cancel')}
            </Button>
          )}
          <Button type="submit" loading={!!submitting}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
