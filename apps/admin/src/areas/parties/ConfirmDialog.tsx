import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/QueryState.tsx';

/**
 * Asks before a consequential action (delete, restore); shows why the API refused it, if it did. The focus
 * starts on Confirm, or on Cancel when the action is `destructive` (delete, discard): an Enter pressed by
 * habit then keeps what is there. Render it always and open it with `opened` (Mantine gives the focus back
 * only for a modal it saw open).
 */
export function ConfirmDialog({
  opened,
  title,
  text,
  color,
  destructive = false,
  onConfirm,
  onClose,
  pending,
  error,
}: {
  opened: boolean;
  title: string;
  text: string;
  color?: string;
  /** Deletes or discards: the focus starts on Cancel. */
  destructive?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  pending?: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">{text}</Text>
        {!!error && (
          <Alert color="red" role="alert">
            {errorMessage(error, t('states.unreachable'))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus={destructive || undefined}>
            {t('actions.cancel')}
          </Button>
          <Button
            color={color}
            onClick={onConfirm}
            loading={!!pending}
            data-autofocus={!destructive || undefined}
          >
            {t('actions.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
