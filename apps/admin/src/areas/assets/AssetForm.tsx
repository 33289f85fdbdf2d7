import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import {
  ASSET_TYPES,
  VEHICLE_TYPES,
  type Asset,
  type AssetType,
  type NewAsset,
  type Supplier,
} from './types.ts';

/** What the form holds: every input as the user typed it (money stays a string, never a number). */
export interface AssetFormValues {
  type: AssetType | '';
  make: string;
  model: string;
  vin: string;
  serialNumber: string;
  year: string;
  price: { amount: string; currency: string };
  supplierId: string | null;
  locationText: string;
}

/** An asset as the API takes it, from what the form holds. */
export interface AssetSubmission {
  body: NewAsset;
  /** For a change: the identification the type does not use, cleared (a van that became a crane loses its VIN). */
  cleared: { vin?: null; serialNumber?: null };
}

export function assetFormValues(asset?: Asset): AssetFormValues {
  return {
    type: asset?.type ?? '',
    make: asset?.make ?? '',
    model: asset?.model ?? '',
    vin: asset?.vin ?? '',
    serialNumber: asset?.serialNumber ?? '',
    year: asset ? String(asset.year) : String(new Date().getFullYear()),
    price: { amount: asset?.price.amount ?? '', currency: asset?.price.currency ?? 'EUR' },
    supplierId: asset?.supplierId ?? null,
    locationText: asset?.locationText ?? '',
  };
}

/**
 * A decimal as typed, in the API's form: a comma is taken as the decimal mark when there is no point
 * ("44900,50" → "44900.50"); nothing else is changed, and nothing rounded — the API refuses too many decimals.
 */
export function decimalInput(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('.') ? trimmed : trimmed.replace(',', '.');
}

/** Whether an input looks like an amount (digits, one decimal mark); the API judges the decimals. */
export function isAmount(value: string): boolean {
  return /^[0-9]+[.,]?[0-9]*$/.test(value.trim());
}

export interface AssetFormProps {
  asset?: Asset;
  /** Suppliers to choose from; without them (no right to read suppliers) the field is left out. */
  suppliers?: Supplier[];
  onSubmit: (submission: AssetSubmission) => Promise<unknown>;
  onCancel?: () => void;
}

/** Registers or changes an asset. The API judges the rules (VIN alphabet, year range, currency decimals). */
export function AssetForm({ asset, suppliers, onSubmit, onCancel }: AssetFormProps) {
  const { t } = useTranslation('assets');
  const [problem, setProblem] = useState<{ title: string; detail?: string; rest: string[] } | null>(null);
  const form = useForm<AssetFormValues>({
    mode: 'controlled',
    initialValues: assetFormValues(asset),
    validate: {
      type: (value) => (value === '' ? t('form.required') : null),
      make: (value) => (value.trim() === '' ? t('form.required') : null),
      model: (value) => (value.trim() === '' ? t('form.required') : null),
      year: (value) => (/^\d{4}$/.test(value.trim()) ? null : t('form.yearFormat')),
      vin: (value, values) =>
        values.type !== '' && VEHICLE_TYPES.includes(values.type) && value.trim() === ''
          ? t('form.required')
          : null,
      serialNumber: (value, values) =>
        values.type !== '' && !VEHICLE_TYPES.includes(values.type) && value.trim() === ''
          ? t('form.required')
          : null,
      price: {
        amount: (value) => (isAmount(value) ? null : t('form.amountFormat')),
        currency: (value) => (/^[A-Z]{3}$/.test(value.trim()) ? null : t('form.currencyFormat')),
      },
    },
  });
  const vehicle = form.values.type !== '' && VEHICLE_TYPES.includes(form.values.type);

  const submit = async (values: AssetFormValues) => {
    setProblem(null);
    const type = values.type as AssetType;
    const isVehicle = VEHICLE_TYPES.includes(type);
    const body: NewAsset = {
      type,
      make: values.make.trim(),
      model: values.model.trim(),
      year: Number(values.year.trim()),
      price: { amount: decimalInput(values.price.amount), currency: values.price.currency.trim() },
      ...(isVehicle
        ? { vin: values.vin.trim().toUpperCase() }
        : { serialNumber: values.serialNumber.trim() }),
      ...(suppliers ? { supplierId: values.supplierId } : {}),
      locationText: values.locationText.trim() === '' ? null : values.locationText.trim(),
    };
    try {
      await onSubmit({ body, cleared: isVehicle ? { serialNumber: null } : { vin: null } });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = formFieldErrors(error.problem);
      const known = new Set([
        'type',
        'make',
        'model',
        'vin',
        'serialNumber',
        'year',
        'price.amount',
        'price.currency',
        'supplierId',
        'locationText',
      ]);
      form.setErrors(Object.fromEntries(Object.entries(fields).filter(([field]) => known.has(field))));
      setProblem({
        title: error.problem.title,
        ...(error.problem.detail ? { detail: error.problem.detail } : {}),
        rest: Object.entries(fields)
          .filter(([field]) => !known.has(field))
          .map(([field, message]) => (field === '_' ? message : `${field}: ${message}`)),
      });
    }
  };

  return (
    <form onSubmit={form.onSubmit((values) => submit(values))} noValidate>
      <Stack gap="sm" maw={700}>
        {problem && (
          <Alert color="red" role="alert" title={problem.title}>
            {problem.detail}
            {problem.rest.map((line) => (
              <div key={line}>{line}</div>
            ))}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('fields.type')}
            required
            allowDeselect={false}
            data={ASSET_TYPES.map((value) => ({ value, label: t(`types.${value}`) }))}
            {...form.getInputProps('type')}
          />
          <TextInput label={t('fields.year')} required inputMode="numeric" {...form.getInputProps('year')} />
          <TextInput label={t('fields.make')} required maxLength={100} {...form.getInputProps('make')} />
          <TextInput label={t('fields.model')} required maxLength={100} {...form.getInputProps('model')} />
          {vehicle ? (
            <TextInput
              label={t('fields.vin')}
              description={t('form.vinHint')}
              required
              maxLength={17}
              {...form.getInputProps('vin')}
            />
          ) : (
            <TextInput
              label={t('fields.serialNumber')}
              required={form.values.type !== ''}
              maxLength={64}
              {...form.getInputProps('serialNumber')}
            />
          )}
          {suppliers && (
            <Select
              label={t('fields.supplier')}
              clearable
              searchable
              data={suppliers.map((supplier) => ({ value: supplier.id, label: supplier.name }))}
              {...form.getInputProps('supplierId')}
            />
          )}
          <TextInput
            label={t('fields.priceAmount')}
            required
            inputMode="decimal"
            {...form.getInputProps('price.amount')}
          />
          <TextInput
            label={t('fields.currency')}
            required
            maxLength={3}
            {...form.getInputProps('price.currency')}
          />
        </SimpleGrid>
        <Textarea
          label={t('fields.location')}
          rows={2}
          maxLength={500}
          {...form.getInputProps('locationText')}
        />
        <Group justify="flex-end" gap="xs">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common:actions.cancel')}
            </Button>
          )}
          <Button type="submit" loading={form.submitting}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
