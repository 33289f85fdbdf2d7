/**
 * The generator: `npm run new-service -- <name> --template crud|worker|connector` writes `services/<name>/`
 * complete from `templates/<template>/` and registers it, so that the system list, the event catalogue, the
 * boundaries, the tests and CI pick it up with no hand edit (docs/new-service.md).
 *
 * Options: `--entity <name>` (crud: the business object; default the singular of the name's last word, else
 * `item`), `--port <n>` (default: the next free port after the highest a service uses, never 8080), `--root <dir>`
 * (the workspace to write into; default this repository), `--dry-run` (say what would be written, write nothing),
 * `--no-install` (link the workspace package without `npm install`), `--no-docs` (skip `npm run events:docs` and
 * `npm run errors:docs`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AnyServiceDefinition } from '@lessor/service-kit';

// Every path this script reads or writes is inside the workspace it was given or its own templates.
/* eslint-disable security/detect-non-literal-fs-filename */

export const TEMPLATES = ['crud', 'worker', 'connector'] as const;
export type Template = (typeof TEMPLATES)[number];

const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
// One word: a service's name is its database schema too, and the kit's openDatabase takes no dash in a schema.
const SERVICE_NAME = /^[a-z][a-z0-9]*$/;
const ENTITY_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;
/** The gateway's port: the one door of the system, never given to a service. */
const GATEWAY_PORT = 8080;
const FIRST_PORT = 8101;

/** What a template says of itself in the summary and the docs. */
const TEMPLATE_SUMMARIES: Record<Template, string> = {
  crud: 'a service owning a business object: CRUD routes, soft delete, change events, audit',
  worker: 'an event-driven service: a typed consumer, a job on an interval, read-only routes',
  connector: 'a service that talks to an outside system: egress, a sync with progress, a sync event',
};

/** The words a template's placeholders stand for, in each spelling code needs. */
export interface ServiceNames {
  name: string;
  entity: string;
  port: number;
}

/** The placeholders of the templates and their values: `__name__` → `fleet-notes`, `__Name__` → `FleetNotes`. */
export function placeholdersOf({ name, entity, port }: ServiceNames) {
  const entities = pluralOf(entity);
  return {
    name,
    nameCamel: camelOf(name),
    Name: pascalOf(name),
    NAME: constantOf(name),
    title: titleOf(name),
    port: String(port),
    entity,
    entityCamel: camelOf(entity),
    Entity: pascalOf(entity),
    ENTITY: constantOf(entity),
    entityWords: entity.replaceAll('-', ' '),
    entities,
    entitiesCamel: camelOf(entities),
    Entities: pascalOf(entities),
    entitiesSnake: entities.replaceAll('-', '_'),
    entitiesWords: entities.replaceAll('-', ' '),
  };
}

/** Replaces every `__key__` of `text`; a key the table does not know is a mistake in a template. */
export function render(text: string, values: Record<string, string>, where: string): string {
  return text.replace(/__([A-Za-z]+)__/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${where}: unknown placeholder __${key}__`);
    return value;
  });
}

const camelOf = (words: string) => words.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const pascalOf = (words: string) => camelOf(words).replace(/^[a-z]/, (letter) => letter.toUpperCase());
const constantOf = (words: string) => words.replaceAll('-', '_').toUpperCase();
const titleOf = (words: string) => words.replaceAll('-', ' ').replace(/^[a-z]/, (l) => l.toUpperCase());

/** English plural of a kebab-case noun's last word, enough for entity names (`note` → `notes`, `entry` → `entries`). */
export function pluralOf(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** The crud entity a service name suggests: the singular of its last word when plural (`fleet-notes` → `note`), else `item`. */
export function entityOf(name: string): string {
  const last = name.split('-').at(-1)!;
  if (/[^aeiou]ies$/.test(last)) return `${last.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(last)) return last.slice(0, -2);
  if (/[^s]s$/.test(last) && last.length > 3) return last.slice(0, -1);
  return 'item';
}

/** The ports services use: each definition's `port:` and the `PORT` default of a service not yet moved to one. */
export async function usedPorts(root: string): Promise<number[]> {
  const ports: number[] = [];
  const services = await readdir(join(root, 'services'), { withFileTypes: true });
  for (const service of services.filter((entry) => entry.isDirectory())) {
    const src = join(root, 'services', service.name, 'src');
    if (!existsSync(src)) continue;
    for (const file of await readdir(src)) {
      if (!file.endsWith('.service.ts') && file !== 'config.ts') continue;
      const text = await readFile(join(src, file), 'utf8');
      for (const match of text.matchAll(/^\s*port:\s*(\d+),|PORT:.*default:\s*(\d+)/gm))
        ports.push(Number(match[1] ?? match[2]));
    }
  }
  return ports;
}

/** The next free port after the highest one used, never the gateway's. */
export function nextPort(used: readonly number[]): number {
  const taken = new Set([...used, GATEWAY_PORT]);
  let port = Math.max(FIRST_PORT - 1, ...used.filter((p) => p !== GATEWAY_PORT)) + 1;
  while (taken.has(port)) port += 1;
  return port;
}

/** A file of the template, rendered: where it goes (relative to the workspace) and what it holds. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** Every file of a template, rendered for one service. */
export async function renderTemplate(template: Template, names: ServiceNames): Promise<RenderedFile[]> {
  const values = placeholdersOf(names);
  const base = join(TEMPLATES_DIR, template);
  const files: RenderedFile[] = [];
  for (const entry of await readdir(base, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const path = render(relative(base, source), values, source);
    // Files outside `services/<name>/` (the catalogue's events) keep their place in the workspace.
    const target = path.startsWith('packages/') ? path : join('services', names.name, path);
    files.push({ path: target, content: render(await readFile(source, 'utf8'), values, source) });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** An edit of a file the workspace already has: where, and the text after it. */
interface Edit {
  path: string;
  what: string;
  apply(text: string): string;
}

/** Inserts `line` after the last line matching `after`; fails when there is none (the file changed shape). */
function insertAfterLast(text: string, after: RegExp, line: string, path: string): string {
  const lines = text.split('\n');
  const index = lines.findLastIndex((candidate) => after.test(candidate));
  if (index < 0) throw new Error(`${path}: found no line matching ${after} to insert after`);
  lines.splice(index + 1, 0, line);
  return lines.join('\n');
}

/** The registrations of a new service: the system list, the stack's dependencies and, when it publishes, the catalogue. */
export function registrations(template: Template, names: ServiceNames): Edit[] {
  const { name, nameCamel } = placeholdersOf(names);
  const edits: Edit[] = [
    {
      path: 'apps/stack/src/system.ts',
      what: `the import of ${nameCamel}Service and inSystem(${nameCamel}Service) before the gateway`,
      apply(text) {
        const imported = insertAfterLast(
          text,
          /^import \{ [a-z]\w*Service[ ,].* from '@lessor\/(?!service-kit')[\w-]+';$/,
          `import { ${nameCamel}Service } from '@lessor/${name}';`,
          this.path,
        );
        const gateway = /^(\s*)inSystem\(gatewayService\),$/m;
        const match = gateway.exec(imported);
        if (!match) throw new Error(`${this.path}: found no inSystem(gatewayService) line to insert before`);
        return imported.replace(gateway, `${match[1]}inSystem(${nameCamel}Service),\n${match[0]}`);
      },
    },
    {
      path: 'apps/stack/package.json',
      what: `the dependency on @lessor/${name}`,
      apply(text) {
        const manifest = JSON.parse(text) as { dependencies?: Record<string, string> };
        manifest.dependencies = { ...manifest.dependencies, [`@lessor/${name}`]: '*' };
        return `${JSON.stringify(manifest, null, 2)}\n`;
      },
    },
  ];
  if (template === 'worker') return edits;
  return [
    ...edits,
    {
      path: 'packages/event-catalog/src/catalog.ts',
      what: `${nameCamel}Events under the publisher ${name}`,
      apply(text) {
        const imported = insertAfterLast(
          text,
          /^import \{ \w+Events \} from '\.\/[a-z0-9-]+\.events\.ts';$/,
          `import { ${nameCamel}Events } from './${name}.events.ts';`,
          this.path,
        );
        const start = imported.indexOf('const eventsByPublisher = {');
        const end = imported.indexOf('\n} as const;', start);
        if (start < 0 || end < 0) throw new Error(`${this.path}: found no eventsByPublisher list`);
        return `${imported.slice(0, end)}\n  ${name}: ${nameCamel}Events,${imported.slice(end)}`;
      },
    },
    {
      path: 'packages/event-catalog/src/index.ts',
      what: `the export of ${nameCamel}Events`,
      apply(text) {
        return insertAfterLast(
          text,
          /^export \{.*\} from '\.\/[a-z0-9-]+\.events\.ts';$/,
          `export { ${nameCamel}Events } from './${name}.events.ts';`,
          this.path,
        );
      },
    },
  ];
}

/** Formats files as the repository does (prettier with its configuration). */
async function formatted(root: string, files: RenderedFile[]): Promise<RenderedFile[]> {
  const prettier = await import('prettier');
  return Promise.all(
    files.map(async (file) => {
      const path = join(root, file.path);
      const options = await prettier.resolveConfig(path);
      return { ...file, content: await prettier.format(file.content, { ...options, filepath: path }) };
    }),
  );
}

/**
 * Writes the service's `openapi.json` and the types generated from it (`openapi.ts`), as `npm run openapi` does
 * for every service of the system list — for this service alone, so it works while another service is broken.
 */
async function writeOpenApi(root: string, names: ServiceNames): Promise<void> {
  const { name, nameCamel } = placeholdersOf(names);
  // Loaded here, not at the top: a dry run and the unit helpers need no database and no kit.
  const testing = await import('@lessor/service-kit/testing');
  const { serviceApi } = await import('./service-api.ts');
  const module = (await import(
    pathToFileURL(join(root, 'services', name, 'src', `${name}.service.ts`)).href
  )) as Record<string, AnyServiceDefinition>;
  const definition = module[`${nameCamel}Service`]!;
  const stopServer = await testing.ensureTestPostgres();
  const scratch = await testing.createTestDatabase<unknown>('postgres', { schema: 'openapi' });
  try {
    const { document, types } = await serviceApi(definition, scratch.url);
    await writeFile(join(root, 'services', name, 'openapi.json'), document);
    await writeFile(join(root, 'services', name, 'openapi.ts'), types);
  } finally {
    await scratch.dispose();
    await stopServer?.();
  }
}

/** Links `node_modules/@lessor/<name>` to the new folder, as `npm install` does for a workspace. */
async function linkWorkspace(root: string, name: string): Promise<void> {
  const link = join(root, 'node_modules', '@lessor', name);
  if (existsSync(link)) return;
  await mkdir(dirname(link), { recursive: true });
  await symlink(join('..', '..', 'services', name), link);
}

/** Runs an npm command in the workspace; true when it succeeded. */
function npm(root: string, args: string[]): boolean {
  const run = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  return run.status === 0;
}

export interface GenerateOptions {
  name: string;
  template: Template;
  entity?: string;
  port?: number;
  root: string;
  dryRun?: boolean;
  install?: boolean;
  docs?: boolean;
  log?: (line: string) => void;
}

/** What the generator did: the files written, the files edited, and what is left to the developer. */
export interface GenerateResult {
  names: ServiceNames;
  written: string[];
  edited: string[];
  todo: string[];
}

/** Generates and registers a service; see the module's comment. */
export async function generateService(options: GenerateOptions): Promise<GenerateResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const root = resolve(options.root);
  const { name, template } = options;
  if (!SERVICE_NAME.test(name))
    throw new Error(
      `"${name}" is not a service name: one lower-case word (it is the database schema's name too)`,
    );
  if (!TEMPLATES.includes(template)) throw new Error(`--template is one of ${TEMPLATES.join(', ')}`);
  if (existsSync(join(root, 'services', name))) throw new Error(`services/${name} exists already`);
  const entity = options.entity ?? entityOf(name);
  if (!ENTITY_NAME.test(entity) || entity.includes('--'))
    throw new Error(`"${entity}" is not an entity name: lower-case words and dashes`);
  const used = await usedPorts(root);
  const port = options.port ?? nextPort(used);
  if (port === GATEWAY_PORT || used.includes(port)) throw new Error(`port ${port} is taken`);
  const names: ServiceNames = { name, entity, port };

  const files = await renderTemplate(template, names);
  const edits = registrations(template, names);
  const edited: RenderedFile[] = [];
  for (const edit of edits) {
    edited.push({
      path: edit.path,
      content: edit.apply.call(edit, await readFile(join(root, edit.path), 'utf8')),
    });
  }
  const result: GenerateResult = {
    names,
    written: files.map((file) => file.path),
    edited: edits.map((edit) => `${edit.path}: ${edit.what}`),
    todo: [],
  };
  log(
    `${options.dryRun ? 'Would write' : 'Writing'} services/${name} (${template}: ${TEMPLATE_SUMMARIES[template]}), port ${port}:`,
  );
  for (const file of files) log(`  ${file.path}`);
  log('and register it:');
  for (const edit of result.edited) log(`  ${edit}`);
  if (options.dryRun) return result;

  for (const file of await formatted(root, [...files, ...edited])) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
  await linkWorkspace(root, name);
  log(`Writing services/${name}/openapi.json and openapi.ts`);
  await writeOpenApi(root, names).catch((error: unknown) => {
    log(`  could not: ${error instanceof Error ? error.message : String(error)}`);
    result.todo.push(
      'npm run openapi   (the service’s openapi.json and openapi.ts; its tests import the types)',
    );
  });
  // npm install records the new workspace in package-lock.json (CI's npm ci refuses a lockfile that lacks it).
  if (options.install !== false && !npm(root, ['install', '--prefer-offline', '--no-audit', '--no-fund'])) {
    result.todo.push('npm install   (it failed here: the lockfile does not list the new workspace yet)');
  }
  if (options.docs !== false) {
    // Both load the whole system list: a service that does not build yet makes them fail, not the generator.
    for (const script of ['events:docs', 'errors:docs']) {
      if (!npm(root, ['run', '--silent', script])) result.todo.push(`npm run ${script}   (it failed here)`);
    }
  } else {
    result.todo.push('npm run events:docs && npm run errors:docs');
  }
  log('');
  log(`Done. services/${name} is in the system list (npm start runs it on port ${port}).`);
  log('Next:');
  for (const step of result.todo) log(`  ${step}`);
  log(`  npx vitest run services/${name}`);
  log(
    `  edit services/${name}/README.md (what it owns, its diagram) and the domain files; see docs/new-service.md`,
  );
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      template: { type: 'string', short: 't' },
      entity: { type: 'string' },
      port: { type: 'string' },
      root: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-install': { type: 'boolean' },
      'no-docs': { type: 'boolean' },
    },
  });
  const [name] = positionals;
  if (!name || !values.template) {
    process.stderr.write(
      `usage: npm run new-service -- <name> --template ${TEMPLATES.join('|')} [--entity <name>] [--port <n>] ` +
        '[--root <dir>] [--dry-run] [--no-install] [--no-docs]\n',
    );
    process.exit(2);
  }
  try {
    await generateService({
      name,
      template: values.template as Template,
      root: values.root ?? fileURLToPath(new URL('../', import.meta.url)),
      ...(values.entity ? { entity: values.entity } : {}),
      ...(values.port ? { port: Number(values.port) } : {}),
      dryRun: values['dry-run'] ?? false,
      install: !values['no-install'],
      docs: !values['no-docs'],
    });
  } catch (error) {
    process.stderr.write(`new-service: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
