// @ts-check
/**
 * The integration service's lint, on top of the project's (ADR 26). It is the one service that talks to the
 * world outside Lessor, so its code is held to more: no dynamic code, no URL built or followed outside the one
 * helper that checks it, no network outside the one transport, no body from outside read except through a
 * schema, no secret in the code. Three modules of `src/odata/` are the exceptions, each for one thing:
 *
 * | module                  | the only place that may                                  |
 * | ----------------------- | -------------------------------------------------------- |
 * | `src/odata/transport.ts` | open connections: `undici`, `node:http(s)`, `fetch`      |
 * | `src/odata/urls.ts`      | build URLs (`new URL`), checked against the service root |
 * | `src/odata/bodies.ts`    | parse a body (`JSON.parse`, `.json()`), by a schema     |
 *
 * `services/integration/test/egress-lint.test.ts` shows each rule reporting on a small piece of code.
 */

const SOURCE = 'services/integration/src/**/*.ts';
const TESTS = ['services/integration/src/**/*.test.ts'];
const TRANSPORT = 'services/integration/src/odata/transport.ts';
const URLS = 'services/integration/src/odata/urls.ts';
const BODIES = 'services/integration/src/odata/bodies.ts';

/** The project's own restriction, repeated: a rule's options in a later block replace the earlier ones. */
const NAMED_EXPORTS = { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md).' };

/** Always refused in integration: code or modules chosen at run time, redirects answered to a caller. */
const DYNAMIC_CODE = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']",
    message: 'No require of a computed name: integration loads only the modules it names (ADR 26).',
  },
  {
    selector: "ImportExpression[source.type!='Literal']",
    message: 'No import() of a computed name: integration loads only the modules it names (ADR 26).',
  },
  {
    selector: "CallExpression[callee.property.name='redirect']",
    message:
      'No redirects from integration: a URL from outside data is never sent back to a browser (ADR 26).',
  },
];

const FETCH = [
  {
    selector: "CallExpression[callee.name='fetch']",
    message:
      'Outside calls go through the OData client (src/odata/transport.ts), with its deadline and metric (ADR 26).',
  },
  {
    selector: "MemberExpression[property.name='fetch'][object.name=/^(globalThis|global|self)$/]",
    message:
      'Outside calls go through the OData client (src/odata/transport.ts), with its deadline and metric (ADR 26).',
  },
  {
    selector: "NewExpression[callee.name='Request']",
    message:
      'Outside calls go through the OData client (src/odata/transport.ts), with its deadline and metric (ADR 26).',
  },
];

const URL_BUILDING = [
  {
    selector: "NewExpression[callee.name='URL']",
    message:
      'URLs are built and checked in src/odata/urls.ts only (same origin as the service root, http(s), no credentials) (ADR 26).',
  },
  {
    selector: "CallExpression[callee.object.name='URL'][callee.property.name='parse']",
    message:
      'URLs are built and checked in src/odata/urls.ts only (same origin as the service root, http(s), no credentials) (ADR 26).',
  },
];

const BODY_PARSING = [
  {
    // JSON of Lessor's own (a run's cursor, sealed credentials) may be parsed straight into a schema's check:
    // `Value.Parse(CursorSchema, JSON.parse(text))` or a compiled validator's `.Parse(JSON.parse(text))`.
    selector:
      "CallExpression[callee.object.name='JSON'][callee.property.name='parse']:not(CallExpression[callee.property.name=/^(Parse|Decode)$/] > CallExpression.arguments)",
    message:
      'JSON is parsed into a schema only: bodies from outside in src/odata/bodies.ts, anything else as Value.Parse(Schema, JSON.parse(text)) (ADR 26).',
  },
  {
    selector: "CallExpression[callee.property.name='json'][arguments.length=0]",
    message:
      'Bodies from outside are read in src/odata/bodies.ts only, validated by a TypeBox schema before use (ADR 26).',
  },
];

const NETWORK_MODULES = [
  'undici',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:http2',
  'http2',
  'node:net',
  'net',
  'node:tls',
  'tls',
  'node:dgram',
  'dgram',
  'axios',
  'got',
  'node-fetch',
];

/** Network modules: only the transport opens connections. */
const NETWORK_IMPORTS = {
  paths: NETWORK_MODULES.map((name) => ({
    name,
    message:
      'Only src/odata/transport.ts opens connections (its own dispatcher, deadlines, no redirects) (ADR 26).',
  })),
  patterns: [
    {
      group: ['@sap-cloud-sdk/*', '@odata/*', 'odata2ts', '@odata2ts/*'],
      message: 'Only src/odata/ speaks OData to the outside (ADR 26).',
    },
  ],
};

/** Modules that run code or processes: none in integration. */
const DYNAMIC_MODULES = [
  'node:vm',
  'vm',
  'node:child_process',
  'child_process',
  'node:worker_threads',
  'worker_threads',
];
const DYNAMIC_IMPORTS = DYNAMIC_MODULES.map((name) => ({
  name,
  message: 'No dynamic code or child processes in integration (ADR 26).',
}));

/** `no-restricted-syntax` with the project's rule and the given groups. */
function syntax(...groups) {
  return ['error', NAMED_EXPORTS, ...DYNAMIC_CODE, ...groups.flat()];
}

/** `no-restricted-imports` with the dynamic modules always, and the network ones unless `network`. */
function imports({ network }) {
  return [
    'error',
    {
      paths: [...DYNAMIC_IMPORTS, ...(network ? [] : NETWORK_IMPORTS.paths)],
      ...(network ? {} : { patterns: NETWORK_IMPORTS.patterns }),
    },
  ];
}

/**
 * The blocks to add to the project's flat config for `services/integration/src` (tests excluded: they start the
 * OData peers and read their answers as they like).
 * @param {{ noSecrets: import('eslint').ESLint.Plugin }} plugins
 * @returns {import('eslint').Linter.Config[]}
 */
export function integrationLintBlocks({ noSecrets }) {
  return [
    {
      files: [SOURCE],
      ignores: TESTS,
      plugins: { 'no-secrets': noSecrets },
      // Named so that no-implied-eval knows them as the globals that run a string as code.
      languageOptions: {
        globals: { setTimeout: 'readonly', setInterval: 'readonly', setImmediate: 'readonly' },
      },
      rules: {
        'no-eval': 'error',
        'no-implied-eval': 'error',
        'no-new-func': 'error',
        'no-script-url': 'error',
        'security/detect-eval-with-expression': 'error',
        'security/detect-non-literal-require': 'error',
        'security/detect-child-process': 'error',
        'security/detect-non-literal-regexp': 'error',
        'security/detect-unsafe-regex': 'error',
        'security/detect-pseudoRandomBytes': 'error',
        'security/detect-possible-timing-attacks': 'error',
        // A key, a token or a password written into the code: high-entropy strings and known key shapes.
        // 4.5: a random base64 key (~5) is caught, a path or a sentence in a description (~4.2) is not.
        'no-secrets/no-secrets': ['error', { tolerance: 4.5 }],
        'no-restricted-imports': imports({ network: false }),
        'no-restricted-syntax': syntax(FETCH, URL_BUILDING, BODY_PARSING),
      },
    },
    {
      files: [TRANSPORT],
      rules: {
        'no-restricted-imports': imports({ network: true }),
        'no-restricted-syntax': syntax(URL_BUILDING, BODY_PARSING),
      },
    },
    {
      files: [URLS],
      rules: { 'no-restricted-syntax': syntax(FETCH, BODY_PARSING) },
    },
    {
      files: [BODIES],
      rules: { 'no-restricted-syntax': syntax(FETCH, URL_BUILDING) },
    },
  ];
}
