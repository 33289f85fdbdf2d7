import { Alert, Button, CopyButton, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A client secret just issued by sso: the only moment it can be seen (sso keeps only its hash). */
export interface IssuedSecret {
  clientId: string;
  clientSecret: string;
}

/**
 * Shows a newly issued secret once, with a copy button and the warning that it cannot be shown again. It
 * closes only by the "stored" button (not by a click beside it or Escape), and whoever opened it drops the
 * secret then, so nothing keeps it afterwards.
 */
export function NewSecretDialog({ issued, onDone }: { issued: IssuedSecret | null; onDone: () => void }) {
  const { t } = useTranslation('administration');
  return (
    <Modal
      opened={issued !== null}
      onClose={onDone}
      title={issued ? t('clients.secretTitle', { clientId: issued.clientId }) : ''}
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
      size="lg"
    >
      {issued && (
        <Stack>
          <Alert color="orange" title={t('clients.secretWarningTitle')} role="alert">
            {t('clients.secretWarning')}
          </Alert>
          <TextInput
            label={t('clients.secret')}
            value={issued.clientSecret}
            readOnly
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(event) => event.currentTarget.select()}
          />
          <Group justify="space-between" wrap="wrap">
            <CopyButton value={issued.clientSecret} timeout={3000}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'filled' : 'light'}
                  color={copied ? 'teal' : undefined}
                  onClick={copy}
                >
                  {copied ? t('clients.copied') : t('clients.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onDone}>{t('clients.stored')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
