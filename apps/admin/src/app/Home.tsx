import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/useSession.ts';

export function Home() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Stack>
      <Title order={2}>{t('home.title', { name: me?.fullName ?? '' })}</Title>
      <Text c="dimmed">{t('home.intro')}</Text>
    </Stack>
  );
}
