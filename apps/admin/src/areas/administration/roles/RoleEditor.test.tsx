import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { administrationTexts } from '../texts.ts';
import { RoleEditor, type RoleValues } from './RoleEditor.tsx';

const texts = { administration: administrationTexts };
const catalogue = [
  { name: 'parties:parties:read', description: 'List and read parties.' },
  { name: 'parties:parties:write', description: 'Create and change parties.' },
  { name: 'leasing:contracts:read', description: 'List and read contracts.' },
  { name: 'leasing:contracts:sign', description: 'Sign contracts.' },
];

/** The text of the elements that describe `element` (where Mantine puts an input's error). */
function description(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
    .join(' ');
}

// Generous: the machine is shared, and typing into Mantine inputs in jsdom takes seconds.
describe('RoleEditor', { timeout: 30_000 }, () => {
  it('should save the name, description and the permissions picked from the catalogue', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn<(values: RoleValues) => void>();
    renderWithProviders(<RoleEditor catalogue={catalogue} onSubmit={onSubmit} />, { texts });

    await user.type(screen.getByRole('textbox', { name: /^Name/ }), '  Clerk ');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'Reads parties and contracts');
    await user.click(screen.getByRole('checkbox', { name: /^parties:parties:read/ }));
    await user.click(screen.getByRole('checkbox', { name: 'All of leasing' }));
    await user.click(screen.getByRole('checkbox', { name: /^leasing:contracts:sign/ }));
    expect(screen.getByText('2 selected')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Clerk',
      description: 'Reads parties and contracts',
      permissions: ['parties:parties:read', 'leasing:contracts:read'],
    });
  });

  it('should not save without a name, and say so beside the field', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    renderWithProviders(<RoleEditor catalogue={catalogue} onSubmit={onSubmit} />, { texts });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(description(screen.getByRole('textbox', { name: /^Name/ }))).toContain('Enter a name.');
  });

  it('should show each field error of the API beside its field, and the rest at the top', () => {
    const error = new ApiError({
      title: 'Validation failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [
        { field: '/body/name', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9 ._-]*$"' },
        { field: '/body/permissions/1', message: 'unknown permission parties:partys:read' },
        { field: '/body', message: 'must NOT have additional properties' },
      ],
    });
    renderWithProviders(
      <RoleEditor
        catalogue={catalogue}
        initial={{
          name: '#clerk',
          description: '',
          permissions: ['parties:parties:read', 'parties:partys:read'],
        }}
        onSubmit={() => undefined}
        error={error}
      />,
      { texts },
    );

    expect(description(screen.getByRole('textbox', { name: /^Name/ }))).toContain('must match pattern');
    const permissions = screen.getByRole('group', { name: 'Permissions' });
    expect(description(permissions)).toContain('unknown permission parties:partys:read');
    expect(within(permissions).getByRole('checkbox', { name: 'parties:partys:read' })).toBeDefined();
    const top = screen
      .getAllByRole('alert')
      .find((alert) => alert.textContent?.includes('Validation failed'));
    expect(top?.textContent).toContain('must NOT have additional properties');
    expect(top?.textContent).not.toContain('must match pattern');
  });

  it('should clear the API error of a field once it is changed', async () => {
    const user = userEvent.setup();
    const error = new ApiError({
      title: 'Conflict',
      status: 409,
      errors: [{ field: '/body/name', message: 'a role named Clerk exists' }],
    });
    renderWithProviders(
      <RoleEditor
        catalogue={catalogue}
        initial={{ name: 'Clerk', description: '', permissions: [] }}
        onSubmit={() => undefined}
        error={error}
      />,
      { texts },
    );
    const name = screen.getByRole('textbox', { name: /^Name/ });
    expect(description(name)).toContain('a role named Clerk exists');
    await user.type(name, 's');
    expect(description(name)).not.toContain('a role named Clerk exists');
  });

  it('should show a built-in role without a way to change it', () => {
    renderWithProviders(
      <RoleEditor
        catalogue={catalogue}
        initial={{ name: 'admin', description: 'Everything', permissions: ['*:*:*'] }}
        onSubmit={() => undefined}
        readOnly
        readOnlyReason="This role is built in and cannot be changed."
      />,
      { texts },
    );
    expect(screen.getByText('This role is built in and cannot be changed.')).toBeDefined();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.getByRole('checkbox', { name: '*:*:*' })).toHaveProperty('checked', true);
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveProperty('disabled', true);
  });

  it('should be labelled in German', () => {
    renderWithProviders(<RoleEditor catalogue={catalogue} onSubmit={() => undefined} />, {
      texts,
      language: 'de',
    });
    expect(screen.getByRole('group', { name: 'Berechtigungen' })).toBeDefined();
    expect(screen.getByRole('button', { name: 'Speichern' })).toBeDefined();
  });
});
