import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { availableActions, fourEyesBlocks, todayUtc, type ContractAction } from './contract-actions.ts';
import type {
  ActivateBody,
  ApproveBody,
  CloseBody,
  Contract,
  DefaultBody,
  RejectBody,
  RestructureBody,
  SignBody,
} from './types.ts';

/** One status action with the body the API takes for it. */
export type ActionRequest =
  | { action: 'approve'; body: ApproveBody }
  | { action: 'reject'; body: RejectBody }
  | { action: 'sign'; body: SignBody }
  | { action: 'activate'; body: ActivateBody }
  | { action: 'close'; body: CloseBody }
  | { action: 'default'; body: DefaultBody }
  | { action: 'restructure'; body: RestructureBody };

/** The actions confirmed in a dialog (Terminate goes through a quote instead). */
type DialogAction = Exclude<ContractAction, 'terminate'>;

export interface ContractActionsProps {
  contract: Pick<Contract, 'status' | 'createdBy' | 'number'>;
  can: (permission: string) => boolean;
  /** Who is signed in, as the services record actors (see `actorId`): the four-eyes rule compares it. */
  actor: string | null;
  /** Makes the call; rejects with the API's ApiError when it refuses. */
  onRun: (request: ActionRequest) => Promise<unknown>;
  /** Terminate goes through a quote: the card opens its early-termination tab. */
  onTerminate: () => void;
}

/** The order and the words of the buttons; the labels are the stable names the end-to-end test uses. */
const BUTTON_COLOR: Record<ContractAction, string | undefined> = {
  approve: undefined,
  reject: 'red',
  sign: undefined,
  activate: undefined,
  close: undefined,
  terminate: 'orange',
  default: 'red',
  restructure: undefined,
};

/**
 * The status actions the contract's status allows and the user may make, each confirmed in a dialog that
 * asks for what the API needs (a reason, the buyout choice, the new terms). The maker of a draft sees
 * Approve and Reject disabled with the four-eyes rule explained beside them.
 */
export function ContractActions({ contract, can, actor, onRun, onTerminate }: ContractActionsProps) {
  const { t } = useTranslation('contracts');
  const fourEyesId = useId();
  const [open, setOpen] = useState<DialogAction | null>(null);
  // The dialog stays mounted and is opened and closed (Mantine gives the focus back to the button only for a
  // modal it saw open); while it fades out it still shows the last action.
  const [lastOpened, setLastOpened] = useState<DialogAction | null>(null);
  const actions = availableActions(contract.status, can);
  const blocked = fourEyesBlocks(contract, actor);
  // The maker who holds the permission sees why the buttons are disabled; one without it sees nothing.
  const fourEyesShown = blocked && actions.some((action) => action === 'approve' || action === 'reject');

  if (actions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('actions.none', { status: t(`status.${contract.status}`) })}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        {actions.map((action) => {
          const disabled = blocked && (action === 'approve' || action === 'reject');
          return (
            <Button
              key={action}
              variant={
                action === 'approve' || action === 'sign' || action === 'activate' ? 'filled' : 'light'
              }
              color={BUTTON_COLOR[action]}
              disabled={disabled}
              aria-describedby={disabled ? fourEyesId : undefined}
              onClick={() => {
                if (action === 'terminate') return onTerminate();
                setOpen(action);
                setLastOpened(action);
              }}
            >
              {t(`actions.${action}`)}
            </Button>
          );
        })}
      </Group>
      {fourEyesShown && (
        <Alert color="blue" role="note" title={t('fourEyes.title')} id={fourEyesId}>
          {t('fourEyes.text')}
        </Alert>
      )}
      <ActionDialog
        action={lastOpened}
        opened={open !== null}
        number={contract.number}
        onClose={() => setOpen(null)}
        onSubmit={async (request) => {
          await onRun(request);
          setOpen(null);
        }}
      />
    </Stack>
  );
}

interface ActionDialogProps {
  /** What the dialog shows: the action last opened, kept while the dialog closes; nothing before the first. */
  action: DialogAction | null;
  opened: boolean;
  number: string;
  onClose: () => void;
  onSubmit: (request: ActionRequest) => Promise<void>;
}

/**
 * The dialog of the status actions, always mounted and opened for one of them. Its form is mounted anew on
 * each opening (Mantine unmounts a closed modal's content), so nothing typed is kept from the last time.
 */
export function ActionDialog({ action, opened, number, onClose, onSubmit }: ActionDialogProps) {
  const { t } = useTranslation('contracts');
  return (
    <Modal
      opened={opened && action !== null}
      onClose={onClose}
      title={action ? t(`dialog.title.${action}`, { number }) : undefined}
      centered
    >
      {action && <ActionForm key={action} action={action} onClose={onClose} onSubmit={onSubmit} />}
    </Modal>
  );
}

/** What the API needs for one action, the API's refusal shown where it belongs. */
function ActionForm({
  action,
  onClose,
  onSubmit,
}: {
  action: DialogAction;
  onClose: () => void;
  onSubmit: (request: ActionRequest) => Promise<void>;
}) {
  const { t } = useTranslation('contracts');
  const [businessDate, setBusinessDate] = useState(todayUtc());
  const [reason, setReason] = useState('');
  const [buyout, setBuyout] = useState(false);
  const [fromDate, setFromDate] = useState('');
  const [termMonths, setTermMonths] = useState('');
  const [annualRate, setAnnualRate] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const reasonRequired = action === 'reject' || action === 'default';
  const apiErrors = error instanceof ApiError ? formFieldErrors(error.problem) : {};
  const fieldError = (name: string) => clientErrors[name] ?? apiErrors[name];
  const shownFields = new Set(
    action === 'restructure'
      ? ['fromDate', 'termMonths', 'annualRate']
      : action === 'close'
        ? ['businessDate', 'buyout']
        : ['businessDate', 'reason'],
  );
  const otherErrors = Object.entries(apiErrors).filter(([field]) => !shownFields.has(field));

  const request = (): ActionRequest | Record<string, string> => {
    const date = businessDate.trim() === '' ? {} : { businessDate: businessDate.trim() };
    const note = reason.trim() === '' ? {} : { reason: reason.trim() };
    switch (action) {
      case 'approve':
      case 'sign':
      case 'activate':
        return { action, body: { ...date, ...note } };
      case 'reject':
      case 'default':
        if (reason.trim() === '') return { reason: t('dialog.reasonRequired') };
        return { action, body: { ...date, reason: reason.trim() } };
      case 'close':
        return { action, body: { ...date, buyout } };
      case 'restructure': {
        const errors: Record<string, string> = {};
        if (fromDate === '') errors.fromDate = t('dialog.required');
        if (termMonths.trim() === '' && annualRate.trim() === '') errors.termMonths = t('dialog.termOrRate');
        if (termMonths.trim() !== '' && !/^\d+$/.test(termMonths.trim()))
          errors.termMonths = t('dialog.wholeNumber');
        if (Object.keys(errors).length > 0) return errors;
        return {
          action,
          body: {
            fromDate,
            ...(termMonths.trim() === '' ? {} : { termMonths: Number(termMonths.trim()) }),
            // The rate stays a decimal string: the API reads it exactly; a comma is the German decimal mark.
            ...(annualRate.trim() === '' ? {} : { annualRate: annualRate.trim().replace(',', '.') }),
          },
        };
      }
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = request();
    if (!('action' in built)) {
      setClientErrors(built as Record<string, string>);
      return;
    }
    setClientErrors({});
    setError(null);
    setPending(true);
    try {
      await onSubmit(built as ActionRequest);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t(`dialog.explain.${action}`)}</Text>
        {error !== null && (
          <Alert color="red" role="alert" title={problemTitle(error)}>
            {problemDetail(error)}
            {otherErrors.map(([field, message]) => (
              <Text key={field} size="sm">
                {field === '_' ? message : `${field}: ${message}`}
              </Text>
            ))}
          </Alert>
        )}
        {action === 'restructure' ? (
          <>
            <TextInput
              type="date"
              label={t('dialog.fromDate')}
              required
              value={fromDate}
              onChange={(event) => setFromDate(event.currentTarget.value)}
              error={fieldError('fromDate')}
            />
            <TextInput
              label={t('dialog.termMonths')}
              description={t('dialog.termMonthsHint')}
              inputMode="numeric"
              value={termMonths}
              onChange={(event) => setTermMonths(event.currentTarget.value)}
              error={fieldError('termMonths')}
            />
            <TextInput
              label={t('dialog.annualRate')}
              inputMode="decimal"
              value={annualRate}
              onChange={(event) => setAnnualRate(event.currentTarget.value)}
              error={fieldError('annualRate')}
            />
          </>
        ) : (
          <>
            <TextInput
              type="date"
              label={t('dialog.businessDate')}
              description={t('dialog.businessDateHint')}
              value={businessDate}
              onChange={(event) => setBusinessDate(event.currentTarget.value)}
              error={fieldError('businessDate')}
            />
            {action === 'close' ? (
              <Checkbox
                label={t('dialog.buyout')}
                checked={buyout}
                onChange={(event) => setBuyout(event.currentTarget.checked)}
                error={fieldError('buyout')}
              />
            ) : (
              <Textarea
                label={reasonRequired ? t('dialog.reason') : t('dialog.note')}
                required={reasonRequired}
                rows={3}
                maxLength={500}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                error={fieldError('reason')}
              />
            )}
          </>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            type="submit"
            loading={pending}
            color={action === 'reject' || action === 'default' ? 'red' : undefined}
          >
            {t('common:actions.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The title of an API refusal (its problem's title), or the message of any other failure. */
export function problemTitle(error: unknown): string {
  if (error instanceof ApiError) return error.problem.title;
  return error instanceof Error ? error.message : String(error);
}

/** The API's explanation of a refusal (its problem's detail), when it gave one beyond the title. */
export function problemDetail(error: unknown): string | null {
  if (error instanceof ApiError && error.problem.detail && error.problem.detail !== error.problem.title)
    return error.problem.detail;
  return null;
}
