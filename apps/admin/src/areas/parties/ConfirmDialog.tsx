import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/QueryState.tsx';

/** Asks before a consequential action (delete, restore); shows why the API refused it, if it did. */
export function ConfirmDialog({
  opened,
  title,
  text,
  color,
  onConfirm,
  onClose,
  pending,
  error,
}: {
  opened: boolean;
  title: string;
  text: string;
  color?: string;
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
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button color={color} onClick={onConfirm} loading={!!pending} data-autofocus>
            {t('actions.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
