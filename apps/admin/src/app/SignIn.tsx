import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { session } from '../auth/session.ts';
import { useSession } from '../auth/useSession.ts';
import { errorMessage } from '../ui/QueryState.tsx';

/** The sign-in page; after signing in, back to the page the user first asked for. */
export function SignIn() {
  const { t } = useTranslation();
  const { status } = useSession();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  if (status === 'signed-in') return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username, password);
    } catch (failure) {
      setError(errorMessage(failure, t('states.unreachable')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper component="form" onSubmit={(event) => void submit(event)} w={380} p="xl" withBorder shadow="sm">
        <Stack>
          <Title order={1} size="h3">
            {t('signIn.title')}
          </Title>
          {error && (
            <Alert color="red" title={t('signIn.failed')} role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('signIn.username')}
            autoComplete="username"
            required
            autoFocus
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
          />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
