import { Anchor, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/useSession.ts';
import { allows, type NavEntry } from '../area.ts';

/** `/administration`: the administration pages the reader may open (the menu lists them one by one too). */
export function AdministrationHome({ entries }: { entries: readonly NavEntry[] }) {
  const { t } = useTranslation('administration');
  const { can } = useSession();
  const open = entries.filter((entry) => allows(entry.permission, can));
  return (
    <Stack>
      <Title order={2}>{t('home.title')}</Title>
      {open.length === 0 ? (
        <Text>{t('home.nothing')}</Text>
      ) : (
        <List>
          {open.map((entry) => (
            <List.Item key={entry.path}>
              <Anchor component={Link} to={entry.path}>
                {t(entry.label)}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
