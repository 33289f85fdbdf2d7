// The boundaries of ARCHITECTURE.md §3, checked by `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-service-to-service',
      comment: 'A service never imports another service: talk over HTTP or events.',
      severity: 'error',
      from: { path: '^services/([^/]+)/', pathNot: '^services/[^/]+/test/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'tests-start-other-services-by-their-entry',
      comment:
        "A service's integration tests may start the real services it calls (no stubs), but only through " +
        'their public entry (src/index.ts: the definition of the service), never their internals (ADR 11).',
      severity: 'error',
      from: { path: '^services/([^/]+)/test/' },
      to: { path: '^services/([^/]+)/', pathNot: ['^services/$1/', '^services/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-package-to-service',
      comment: 'Packages are libraries; they never import a service or an app.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(services|apps)/' },
    },
    {
      name: 'no-service-to-app',
      comment: 'Services never import apps.',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular-packages',
      severity: 'error',
      from: { path: '^packages/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    combinedDependencies: true,
    preserveSymlinks: false,
  },
};
