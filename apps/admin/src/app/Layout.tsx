import {
  Anchor,
  AppShell,
  Burger,
  Group,
  Menu,
  NavLink,
  SegmentedControl,
  Text,
  UnstyledButton,
  useMantineTheme,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { session } from '../auth/session.ts';
import { useSession } from '../auth/useSession.ts';
import { setLanguage, type Language } from '../i18n/i18n.ts';
import { allows } from '../areas/area.ts';
import { AREAS } from '../areas/index.ts';
import { useRouteFocus } from './useRouteFocus.ts';

/** The frame of every page: the menu (only what the user may do), language, the user and sign-out. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const { me, can } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  // Below the breakpoint the menu folds away behind the burger; folded, it must leave the Tab order too.
  const folds = !useMediaQuery(`(min-width: ${useMantineTheme().breakpoints.md})`);
  const location = useLocation();
  // A new page takes the focus to its heading (and names the document), as screen-reader users expect.
  const main = useRef<HTMLElement>(null);
  useRouteFocus(main, t('appName'));
  const entries = AREAS.flatMap((area) =>
    area.nav.filter((entry) => allows(entry.permission, can)).map((entry) => ({ ...entry, area: area.key })),
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Anchor href="#main" className="skip-link">
              {t('shell.skipToContent')}
            </Anchor>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={t('shell.toggleNavigation')}
              aria-expanded={opened}
              aria-controls="main-menu"
            />
            <Anchor component={RouterNavLink} to="/" fw={700} fz="lg" underline="never">
              {t('appName')}
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('shell.language')}
              value={i18n.language}
              onChange={(value) => setLanguage(value as Language)}
              data={[
                { value: 'en', label: 'EN' },
                { value: 'de', label: 'DE' },
              ]}
            />
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label={t('shell.signedInAs', { name: me?.fullName ?? '' })}>
                  <Text size="sm" fw={500} truncate maw={200}>
                    {me?.fullName}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me?.username}</Menu.Label>
                <Menu.Item onClick={() => void session.signOut()}>{t('shell.signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main" id="main-menu" inert={folds && !opened}>
        {entries.map((entry) => (
          <NavLink
            key={entry.path}
            component={RouterNavLink}
            to={entry.path}
            label={t(entry.label, { ns: entry.label.startsWith('nav.') ? 'common' : entry.area })}
            active={location.pathname === entry.path || location.pathname.startsWith(`${entry.path}/`)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
