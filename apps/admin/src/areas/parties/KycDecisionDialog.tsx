import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { FormProblem, splitFieldErrors } from '../../ui/FormProblem.tsx';
import { KYC_NEXT, type KycStatus, type Party } from './types.ts';

export interface KycDecision {
  status: KycStatus;
  reason: string;
}

interface KycDecisionProps {
  party: Party;
  onClose: () => void;
  onSubmit: (decision: KycDecision) => void;
  pending?: boolean;
  error?: unknown;
}

/**
 * A KYC decision on a party: a status its current one allows, and the reason (both required). Render it
 * always and open it with `opened` (Mantine gives the focus back only for a modal it saw open); its form is
 * mounted anew on each opening, so nothing typed is kept from the last time.
 */
export function KycDecisionDialog({ opened, ...props }: KycDecisionProps & { opened: boolean }) {
  const { t } = useTranslation('parties');
  return (
    <Modal
      opened={opened}
      onClose={props.onClose}
      title={t('kycDecision.title', { name: props.party.name })}
      centered
    >
      <KycDecisionForm {...props} />
    </Modal>
  );
}

function KycDecisionForm({ party, onClose, onSubmit, pending, error }: KycDecisionProps) {
  const { t } = useTranslation('parties');
  const next = KYC_NEXT[party.kycStatus];
  const form = useForm<{ status: string; reason: string }>({
    mode: 'controlled',
    initialValues: { status: next.length === 1 ? next[0]! : '', reason: '' },
    validate: {
      status: (value) => (value === '' ? t('validation.required') : null),
      reason: (value) => (value.trim() === '' ? t('validation.required') : null),
    },
  });
  useEffect(() => {
    if (error instanceof ApiError) form.setErrors(formFieldErrors(error.problem));
    // Once per refusal: `form` is a new object on every render.
  }, [error]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) =>
        onSubmit({ status: values.status as KycStatus, reason: values.reason.trim() }),
      )}
    >
      <Stack>
        <Text size="sm">{t('kycDecision.current', { status: t(`kyc.${party.kycStatus}`) })}</Text>
        <FormProblem
          error={error}
          title={t('form.notSaved')}
          other={splitFieldErrors(error, (field) => field === 'status' || field === 'reason').other}
        />
        <Select
          label={t('kycDecision.status')}
          withAsterisk
          data={next.map((status) => ({ value: status, label: t(`kyc.${status}`) }))}
          {...form.getInputProps('status')}
          onChange={(value) => form.setFieldValue('status', value ?? '')}
        />
        <Textarea
          label={t('kycDecision.reason')}
          description={t('kycDecision.reasonHint')}
          withAsterisk
          autosize
          minRows={3}
          maxLength={1000}
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={!!pending}>
            {t('kycDecision.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
