import {
  Alert,
  Anchor,
  Button,
  Fieldset,
  Group,
  Input,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { currencyMinorUnits } from '@lessor/reference-data';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/useSession.ts';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { formatDecimal, formatMoney } from '../../i18n/format.ts';
import { FormProblem, splitFieldErrors } from '../../ui/FormProblem.tsx';
import {
  calculationRequest,
  defaultValues,
  fitToProduct,
  formErrorsOf,
  formPathOf,
  validateCalculation,
  type CalculationFormValues,
  type FormMessage,
} from './calculation-form.ts';
import { parseDecimalInput, percentOf, truncateDecimal } from './decimal.ts';
import { DAY_COUNTS, SCHEDULE_TYPES, type CalculationRequest, type Product } from './types.ts';

export interface CalculatorFormProps {
  /** The active lease products; undefined when they cannot be read (then no product and no limits). */
  products: Product[] | undefined;
  initialValues?: CalculationFormValues;
  onSubmit: (request: CalculationRequest) => void;
  /** The API's refusal of the last calculation: each field's message beside its input, the rest on top. */
  error?: unknown;
  submitting?: boolean;
}

const FIELDS = new Set([
  'productId',
  'currency',
  'assetPrice',
  'advance',
  'termMonths',
  'annualRate',
  'scheduleType',
  'residualValue',
  'startDate',
  'vatRate',
  'graceMonths',
  'dayCount',
]);

/**
 * No product is in use (a fresh install has none): how to start — a link to make one for a user who may, else
 * who to ask. Without a product the calculator still works, without limits.
 */
function NoProducts() {
  const { t } = useTranslation('calculator');
  const { can } = useSession();
  return (
    <Alert color="yellow" title={t('form.productNone')}>
      {can('leasing:products:write') ? (
        <>
          {t('form.productNoneStart')}{' '}
          <Anchor component={Link} to="/products/new">
            {t('form.productNoneLink')}
          </Anchor>
        </>
      ) : (
        t('form.productNoneAsk')
      )}
    </Alert>
  );
}

/** The terms of a lease, checked against the chosen product's frame before they go to the API. */
export function CalculatorForm({
  products,
  initialValues,
  onSubmit,
  error,
  submitting,
}: CalculatorFormProps) {
  const { t, i18n } = useTranslation('calculator');
  const productOf = (id: string) => products?.find((product) => product.id === id);
  const message = ({ key, values = {} }: FormMessage) =>
    t(`validation.${key}`, {
      ...Object.fromEntries(
        Object.entries(values).map(([name, value]) => [
          name,
          typeof value === 'string' ? formatDecimal(value) : value,
        ]),
      ),
    });
  const form = useForm<CalculationFormValues>({
    mode: 'controlled',
    initialValues: initialValues ?? defaultValues(products?.[0]),
    validateInputOnBlur: true,
    validate: (values) =>
      Object.fromEntries(
        Object.entries(
          validateCalculation(
            values,
            productOf(values.productId),
            products !== undefined && products.length > 0,
          ),
        ).map(([path, found]) => [path, message(found)]),
      ),
  });

  useEffect(() => {
    if (error instanceof ApiError) form.setErrors(formErrorsOf(formFieldErrors(error.problem)));
    // Once per refusal: `form` is a new object on every render.
  }, [error]);

  const values = form.getValues();
  const product = productOf(values.productId);
  const seasonal = values.scheduleType === 'seasonal';
  const months = useMemo(() => {
    const format = new Intl.DateTimeFormat(i18n.language, { month: 'long', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, month) => format.format(new Date(Date.UTC(2024, month, 1))));
  }, [i18n.language]);

  const shown = (apiField: string) => {
    const path = formPathOf(apiField);
    return (
      FIELDS.has(path) || (seasonal && (path === 'seasonalWeights' || /^seasonalWeights\.\d+$/.test(path)))
    );
  };
  const price = parseDecimalInput(values.assetPrice);
  // Intl refuses a malformed currency code (one being typed): no amount is shown until it is whole.
  const currencyOk = /^[A-Z]{3}$/.test(values.currency);
  /** Beside a money input: the amount as it was read, in the user's locale (a typo shows at once). */
  const amountRead = (input: string) => {
    const amount = parseDecimalInput(input);
    return amount !== null && currencyOk
      ? t('form.amountRead', { amount: formatMoney(amount, values.currency) })
      : undefined;
  };
  /** A product's limit as a share of the asset price, with the amount it comes to once a price is given. */
  const limit = (key: 'advanceLimit' | 'residualLimit', percent: string) =>
    price !== null && currencyOk
      ? t(`form.${key}Amount`, {
          max: formatDecimal(percent),
          // Cut, not rounded, to the currency's minor unit: the shown limit never exceeds the real one.
          amount: formatMoney(
            truncateDecimal(percentOf(price, percent), currencyMinorUnits(values.currency) ?? 2),
            values.currency,
          ),
        })
      : t(`form.${key}`, { max: formatDecimal(percent) });
  const describe = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ') || undefined;
  const fees = product?.fees
    .map((fee) =>
      'percent' in fee
        ? `${fee.name} ${formatDecimal(fee.percent)} %`
        : `${fee.name} ${currencyOk ? formatMoney(fee.amount, values.currency) : fee.amount}`,
    )
    .join(', ');

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((submitted) => onSubmit(calculationRequest(submitted)))}
      aria-label={t('form.terms')}
    >
      <Stack gap="md">
        <FormProblem
          error={error}
          title={t('form.notCalculated')}
          other={splitFieldErrors(error, shown).other}
        />
        {products !== undefined && products.length === 0 && <NoProducts />}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {products !== undefined && (
            <Select
              label={t('form.product')}
              withAsterisk
              allowDeselect={false}
              data={products.map((candidate) => ({
                value: candidate.id,
                label: `${candidate.name} (${candidate.code})`,
              }))}
              description={fees ? t('form.fees', { fees }) : product?.description}
              {...form.getInputProps('productId')}
              onChange={(id) => {
                const chosen = id ? productOf(id) : undefined;
                if (chosen) form.setValues(fitToProduct(form.getValues(), chosen));
              }}
            />
          )}
          {product ? (
            <Select
              label={t('form.currency')}
              withAsterisk
              allowDeselect={false}
              data={product.currencies}
              {...form.getInputProps('currency')}
              onChange={(currency) => form.setFieldValue('currency', currency ?? '')}
            />
          ) : (
            <TextInput
              label={t('form.currency')}
              withAsterisk
              maxLength={3}
              {...form.getInputProps('currency')}
              onChange={(event) => form.setFieldValue('currency', event.currentTarget.value.toUpperCase())}
            />
          )}
          <TextInput
            label={t('form.assetPrice')}
            withAsterisk
            inputMode="decimal"
            rightSection={<Text size="xs">{values.currency}</Text>}
            description={amountRead(values.assetPrice) ?? t('form.amountHint')}
            {...form.getInputProps('assetPrice')}
          />
          <NumberInput
            label={t('form.termMonths')}
            withAsterisk
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...(product ? { min: product.minTermMonths, max: product.maxTermMonths } : { min: 1, max: 600 })}
            description={
              product
                ? t('form.termRange', { min: product.minTermMonths, max: product.maxTermMonths })
                : undefined
            }
            {...form.getInputProps('termMonths')}
          />
          <TextInput
            label={t('form.annualRate')}
            withAsterisk
            inputMode="decimal"
            description={
              product
                ? t('form.rateRange', {
                    min: formatDecimal(product.minRate),
                    max: formatDecimal(product.maxRate),
                  })
                : undefined
            }
            {...form.getInputProps('annualRate')}
          />
          <Select
            label={t('form.scheduleType')}
            withAsterisk
            allowDeselect={false}
            data={(product?.scheduleTypes ?? SCHEDULE_TYPES).map((type) => ({
              value: type,
              label: t(`form.scheduleTypes.${type}`),
            }))}
            {...form.getInputProps('scheduleType')}
            onChange={(type) =>
              form.setFieldValue('scheduleType', (type ?? '') as CalculationFormValues['scheduleType'])
            }
          />
          <Radio.Group
            label={t('form.advanceMode')}
            {...form.getInputProps('advanceMode')}
            onChange={(mode) => {
              form.setFieldValue('advanceMode', mode as CalculationFormValues['advanceMode']);
              form.clearFieldError('advance');
            }}
          >
            <Group mt={6}>
              <Radio value="percent" label={t('form.advancePercentMode')} />
              <Radio value="amount" label={t('form.advanceAmountMode')} />
            </Group>
          </Radio.Group>
          <TextInput
            label={values.advanceMode === 'percent' ? t('form.advancePercent') : t('form.advanceAmount')}
            inputMode="decimal"
            rightSection={<Text size="xs">{values.advanceMode === 'percent' ? '%' : values.currency}</Text>}
            description={describe(
              values.advanceMode === 'amount' ? amountRead(values.advance) : undefined,
              product ? limit('advanceLimit', product.maxAdvancePercent) : undefined,
            )}
            {...form.getInputProps('advance')}
          />
          <TextInput
            label={t('form.residualValue')}
            inputMode="decimal"
            rightSection={<Text size="xs">{values.currency}</Text>}
            description={describe(
              amountRead(values.residualValue),
              product ? limit('residualLimit', product.maxResidualPercent) : undefined,
            )}
            {...form.getInputProps('residualValue')}
          />
          <TextInput
            label={t('form.startDate')}
            type="date"
            withAsterisk
            {...form.getInputProps('startDate')}
          />
          <TextInput label={t('form.vatRate')} inputMode="decimal" {...form.getInputProps('vatRate')} />
          <NumberInput
            label={t('form.graceMonths')}
            description={t('form.graceHint')}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            min={0}
            {...form.getInputProps('graceMonths')}
          />
          <Select
            label={t('form.dayCount')}
            placeholder={t('form.dayCountDefault')}
            clearable
            data={DAY_COUNTS.map((dayCount) => ({ value: dayCount, label: dayCount }))}
            {...form.getInputProps('dayCount')}
            onChange={(dayCount) =>
              form.setFieldValue('dayCount', (dayCount ?? '') as CalculationFormValues['dayCount'])
            }
          />
        </SimpleGrid>

        {seasonal && (
          <Fieldset legend={t('form.seasonalWeights')}>
            <Text size="sm" c="dimmed" mb="xs">
              {t('form.seasonalHint')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }}>
              {months.map((month, index) => (
                <TextInput
                  key={month}
                  label={month}
                  inputMode="decimal"
                  {...form.getInputProps(`seasonalWeights.${index}`)}
                />
              ))}
            </SimpleGrid>
            {typeof form.errors.seasonalWeights === 'string' && (
              <Input.Error mt="xs">{form.errors.seasonalWeights}</Input.Error>
            )}
          </Fieldset>
        )}

        <Group justify="flex-end">
          <Button type="submit" loading={!!submitting}>
            {t('form.calculate')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
