import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * ADR 26: integration's stricter lint (eslint.integration.js, in the project's config) bites. Each rule is shown
 * reporting on a small piece of code placed, by its file name, where the rule applies — and not where its one
 * exception is (the transport, the URL helper, the body reader of src/odata/) nor in another service.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    // The code is not on disk, so no TypeScript program knows it: type-aware rules are off for these texts.
    overrideConfig: [
      { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked },
      { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: null } } },
    ],
  });
});

interface Report {
  ruleId: string | null;
  message: string;
}

/** What the project's lint reports on `code` as the file `path` (relative to the repository). */
async function lint(code: string, path: string): Promise<Report[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: `${root}${path}` });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

async function rulesOf(code: string, path: string): Promise<(string | null)[]> {
  return (await lint(code, path)).map((report) => report.ruleId);
}

const CONNECTORS = 'services/integration/src/connectors/lint-fixture.ts';
const TRANSPORT = 'services/integration/src/odata/transport.ts';
const URLS = 'services/integration/src/odata/urls.ts';
const BODIES = 'services/integration/src/odata/bodies.ts';
const PARTIES = 'services/parties/src/lint-fixture.ts';

describe('integration’s lint: no dynamic code', () => {
  it('should report eval, a string for setTimeout and new Function', async () => {
    expect(await rulesOf('export const run = (code: string) => eval(code);', CONNECTORS)).toContain(
      'no-eval',
    );
    expect(await rulesOf("setTimeout('sync()', 10);", CONNECTORS)).toContain('no-implied-eval');
    expect(await rulesOf("export const f = new Function('a', 'return a');", CONNECTORS)).toContain(
      'no-new-func',
    );
  });

  it('should report require and import() of a computed name, and child processes', async () => {
    const required = await rulesOf(
      'declare const require: (name: string) => unknown;\nexport const load = (name: string) => require(name);',
      CONNECTORS,
    );
    expect(required).toContain('security/detect-non-literal-require');
    expect(required).toContain('no-restricted-syntax');
    expect(await rulesOf('export const load = async (name: string) => import(name);', CONNECTORS)).toContain(
      'no-restricted-syntax',
    );
    expect(
      await rulesOf("import { exec } from 'node:child_process';\nexport { exec };", TRANSPORT),
    ).toContain('no-restricted-imports');
  });
});

describe('integration’s lint: no unchecked URLs, connections or redirects', () => {
  it('should report fetch, undici and node:https outside the transport, and not inside it', async () => {
    const call = 'export const get = (url: string) => fetch(url);';
    const client = "import { request } from 'undici';\nexport { request };";
    const https = "import { request } from 'node:https';\nexport { request };";

    expect(await lint(call, CONNECTORS)).toContainEqual({
      ruleId: 'no-restricted-syntax',
      message: expect.stringMatching(/src\/odata\/transport\.ts.*ADR 26/),
    });
    expect(await rulesOf(client, CONNECTORS)).toContain('no-restricted-imports');
    expect(await rulesOf(https, URLS)).toContain('no-restricted-imports');
    expect(await rulesOf(call, TRANSPORT)).toEqual([]);
    expect(await rulesOf(client, TRANSPORT)).toEqual([]);
  });

  it('should report new URL outside the URL helper, and not inside it', async () => {
    const build = 'export const next = (link: string, root: string) => new URL(link, root);';

    expect(await lint(build, CONNECTORS)).toContainEqual({
      ruleId: 'no-restricted-syntax',
      message: expect.stringMatching(/src\/odata\/urls\.ts/),
    });
    expect(await rulesOf(build, TRANSPORT)).toContain('no-restricted-syntax');
    expect(await rulesOf(build, URLS)).toEqual([]);
  });

  it('should report a redirect', async () => {
    const redirect =
      'export const back = (reply: { redirect(url: string): void }, to: string) => reply.redirect(to);';

    expect(await rulesOf(redirect, CONNECTORS)).toContain('no-restricted-syntax');
  });
});

describe('integration’s lint: bodies read through a schema', () => {
  it('should report JSON.parse and .json() outside the body reader, and not inside it', async () => {
    const parse = 'export const read = (text: string): unknown => JSON.parse(text);';
    const json = 'export const read = (response: Response) => response.json();';

    expect(await rulesOf(parse, CONNECTORS)).toContain('no-restricted-syntax');
    expect(await rulesOf(json, TRANSPORT)).toContain('no-restricted-syntax');
    expect(await rulesOf(parse, BODIES)).toEqual([]);
  });

  it('should let JSON of Lessor’s own be parsed straight into a schema', async () => {
    const parsed =
      "import { Type } from 'typebox';\nimport { Value } from 'typebox/value';\n" +
      'const Cursor = Type.Object({ next: Type.String() });\n' +
      'export const cursorOf = (text: string) => Value.Parse(Cursor, JSON.parse(text));';

    expect(await rulesOf(parsed, CONNECTORS)).toEqual([]);
  });
});

describe('integration’s lint: no secrets in code', () => {
  it('should report a high-entropy string and a known key shape', async () => {
    expect(
      await rulesOf(
        "export const secret = 'ZWVTjPQSdhwRgl204Hc51YCsritMIzn8B=/p9UyeX7xu6KkAGqfm3FJ+oObLDNEva';",
        URLS,
      ),
    ).toContain('no-secrets/no-secrets');
    expect(await rulesOf("export const awsKey = 'AKIAIUWUUQQN3GNUA88V';", CONNECTORS)).toContain(
      'no-secrets/no-secrets',
    );
  });
});

describe('the other services', () => {
  it('should not get integration’s rules', async () => {
    const code = "export const get = (url: string) => fetch(new URL('/v1/x', url));";

    expect(await rulesOf(code, PARTIES)).toEqual([]);
  });
});
