import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventCatalog, EventTypes } from './catalog.ts';
import { eventFields, renderEventDocs } from './docs.ts';
import { toJsonSchema } from './json-schema.ts';
import { ssoEvents } from './sso.events.ts';

const docsFile = fileURLToPath(new URL('../../../docs/events.md', import.meta.url));

describe('renderEventDocs', () => {
  it('should match docs/events.md when the file is up to date', async () => {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed path in the repository
    const committed = await readFile(docsFile, 'utf8').catch(() => '');
    // On failure: node --import tsx packages/event-catalog/src/render-docs.ts write
    expect(committed, 'docs/events.md is out of date: run render-docs.ts write').toBe(renderEventDocs());
  });

  it('should document every event with its description when rendered', () => {
    const docs = renderEventDocs();
    for (const definition of eventCatalog) {
      expect(docs).toContain(`### ${definition.type}\n\n${definition.description}\n`);
    }
  });

  it('should say who consumes an event when a consumer binds it', () => {
    const docs = renderEventDocs();
    const section = docs.slice(docs.indexOf(`### ${EventTypes.sso.loginLocked}`));
    expect(section).toMatch(/Subject: `data.username`. Consumed by: audit./);
  });
});

describe('eventFields', () => {
  it('should flatten nested snapshots with their paths, types and whether they are required', () => {
    const fields = eventFields(toJsonSchema(ssoEvents.userUpdated.data));
    expect(fields).toContainEqual({
      name: 'after.email',
      type: 'string (email) | null',
      required: true,
      description: '',
    });
    expect(fields).toContainEqual({
      name: 'before.roles[].id',
      type: 'string (uuid)',
      required: true,
      description: 'The role id.',
    });
    expect(eventFields(toJsonSchema(ssoEvents.passwordChanged.data))).toContainEqual(
      expect.objectContaining({ name: 'by', type: "'self' | 'admin'", required: true }),
    );
  });
});
