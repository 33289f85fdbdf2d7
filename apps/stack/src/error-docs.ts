import { problemType, registeredErrors } from '@lessor/service-kit';
import { SYSTEM } from './system.ts';

// Every service, and with it every error code it declares: each service's entry (its definition's module)
// exports its `<service>.errors.ts`, so importing the system list registers them all.
void SYSTEM;

/** docs/errors.md: every error code, its status, title and meaning, grouped by who raises it. */
export function renderErrorDocs(): string {
  const byOwner = new Map<string, string[]>();
  const codes = [...registeredErrors()].sort(([a], [b]) => a.localeCompare(b));
  for (const [code, { owner, definition }] of codes) {
    const rows = byOwner.get(owner) ?? [];
    rows.push(`| \`${code}\` | ${definition.status} | ${definition.title} | ${definition.description} |`);
    byOwner.set(owner, rows);
  }
  const owners = [...byOwner.keys()].sort((a, b) =>
    a === 'kit' ? -1 : b === 'kit' ? 1 : a.localeCompare(b),
  );
  const sections = owners.map((owner) =>
    [
      `## ${owner === 'kit' ? 'Every service (service-kit)' : owner}`,
      '',
      '| code | status | title | meaning |',
      '|---|---|---|---|',
      ...byOwner.get(owner)!,
      '',
    ].join('\n'),
  );
  return [
    '# Error codes',
    '',
    'Every error is answered as RFC 9457 `application/problem+json` with `type`, `title`, `status`, `detail`,',
    '`code` (below) and, for validation, `errors[]` naming each field as a JSON pointer (`/body/username`).',
    `The \`type\` is a URN made from the code, e.g. \`${problemType('NOT_FOUND')}\`.`,
    '',
    'This file is generated from the code registry (`npm run errors:docs`); a test fails when it is out of date.',
    '',
    ...sections,
  ].join('\n');
}
