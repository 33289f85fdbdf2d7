import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { knownCurrencies } from '@lessor/reference-data';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormProblem, splitFieldErrors } from '../../ui/FormProblem.tsx';
import type { Product } from '../calculator/types.ts';
import { SCHEDULE_TYPES } from '../calculator/types.ts';
import {
  formFieldOf,
  NEW_PRODUCT,
  validateProduct,
  valuesOfProduct,
  type ProductFormValues,
} from './product-form.ts';

export interface ProductFormProps {
  /** The product to change; a new one without. */
  product?: Product;
  /** Shown, not changed (a reader without `leasing:products:write`). */
  readOnly?: boolean;
  /** Sends the values; a rejection with an ApiError shows its messages beside the fields they name. */
  onSubmit: (values: ProductFormValues) => Promise<unknown>;
  onCancel?: () => void;
}

const FIELDS = new Set([
  'code',
  'name',
  'description',
  'currencies',
  'scheduleTypes',
  'minTermMonths',
  'maxTermMonths',
  'minRate',
  'maxRate',
  'maxAdvancePercent',
  'maxResidualPercent',
  'penaltyRate',
]);

/** A lease product's frame: currencies, schedule types, terms, rates, limits and fees. */
export function ProductForm({ product, readOnly = false, onSubmit, onCancel }: ProductFormProps) {
  const { t, i18n } = useTranslation('products');
  const isNew = product === undefined;
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const form = useForm<ProductFormValues>({
    mode: 'controlled',
    initialValues: product ? valuesOfProduct(product) : NEW_PRODUCT,
    validateInputOnBlur: true,
    validate: (values) =>
      Object.fromEntries(
        Object.entries(validateProduct(values, isNew)).map(([path, key]) => [path, t(`validation.${key}`)]),
      ),
  });
  const currencies = useMemo(() => {
    const names = new Intl.DisplayNames([i18n.language], { type: 'currency' });
    return knownCurrencies().map((code) => ({ value: code, label: `${code} · ${names.of(code) ?? code}` }));
  }, [i18n.language]);
  const shown = (name: string) => FIELDS.has(name) || /^fees\.\d+\.(name|value)$/.test(formFieldOf(name));
  const { other } = splitFieldErrors(error, shown);

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setSending(true);
    try {
      await onSubmit(values);
    } catch (refused) {
      setError(refused);
      const { fieldErrors } = splitFieldErrors(refused, shown);
      form.setErrors(
        Object.fromEntries(Object.entries(fieldErrors).map(([name, m]) => [formFieldOf(name), m])),
      );
    } finally {
      setSending(false);
    }
  });
  const values = form.getValues();

  return (
    <form noValidate onSubmit={submit} aria-label={t('list.caption')}>
      <Stack gap="md">
        <FormProblem error={error} title={t('form.notSaved')} other={other} />
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('fields.code')}
                description={isNew ? t('fields.codeHint') : undefined}
                withAsterisk={isNew}
                readOnly={!isNew}
                {...form.getInputProps('code')}
                onChange={(event) => form.setFieldValue('code', event.currentTarget.value.toUpperCase())}
              />
              <TextInput label={t('fields.name')} withAsterisk {...form.getInputProps('name')} />
            </SimpleGrid>
            <Textarea
              label={t('fields.description')}
              autosize
              minRows={2}
              {...form.getInputProps('description')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <MultiSelect
                label={t('fields.currencies')}
                withAsterisk
                searchable
                data={currencies}
                {...form.getInputProps('currencies')}
              />
              <Checkbox.Group
                label={t('fields.scheduleTypes')}
                withAsterisk
                {...form.getInputProps('scheduleTypes')}
              >
                <Group mt="xs">
                  {SCHEDULE_TYPES.map((type) => (
                    <Checkbox key={type} value={type} label={t(`scheduleTypes.${type}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <NumberInput
                label={t('fields.minTermMonths')}
                withAsterisk
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('minTermMonths')}
              />
              <NumberInput
                label={t('fields.maxTermMonths')}
                withAsterisk
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('maxTermMonths')}
              />
              <TextInput label={t('fields.minRate')} withAsterisk {...form.getInputProps('minRate')} />
              <TextInput label={t('fields.maxRate')} withAsterisk {...form.getInputProps('maxRate')} />
              <TextInput
                label={t('fields.maxAdvancePercent')}
                withAsterisk
                {...form.getInputProps('maxAdvancePercent')}
              />
              <TextInput
                label={t('fields.maxResidualPercent')}
                withAsterisk
                {...form.getInputProps('maxResidualPercent')}
              />
              <TextInput
                label={t('fields.penaltyRate')}
                withAsterisk
                {...form.getInputProps('penaltyRate')}
              />
            </SimpleGrid>
            <Fieldset legend={t('fields.fees')}>
              <Stack gap="xs">
                {values.fees.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('fee.none')}
                  </Text>
                )}
                {values.fees.map((fee, index) => (
                  <Group key={index} align="flex-start" wrap="wrap">
                    <TextInput
                      label={t('fee.name')}
                      withAsterisk
                      {...form.getInputProps(`fees.${index}.name`)}
                    />
                    <Select
                      label={t('fee.kind')}
                      allowDeselect={false}
                      data={[
                        { value: 'percent', label: t('fee.percent') },
                        { value: 'amount', label: t('fee.amount') },
                      ]}
                      {...form.getInputProps(`fees.${index}.kind`)}
                    />
                    <TextInput
                      label={t('fee.value')}
                      withAsterisk
                      {...form.getInputProps(`fees.${index}.value`)}
                    />
                    {!readOnly && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        mt={28}
                        aria-label={t('fee.remove', { name: fee.name || index + 1 })}
                        onClick={() => form.removeListItem('fees', index)}
                      >
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                {!readOnly && (
                  <Group>
                    <Button
                      variant="light"
                      size="xs"
                      onClick={() => form.insertListItem('fees', { name: '', kind: 'percent', value: '' })}
                    >
                      {t('fee.add')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          </Stack>
        </fieldset>
        {!readOnly && (
          <Group justify="flex-end">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('common:actions.cancel')}
              </Button>
            )}
            <Button type="submit" loading={sending}>
              {t('form.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
