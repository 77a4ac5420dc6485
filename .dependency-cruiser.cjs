// The layers, and the direction a dependency may go (docs/ARCHITECTURE.md, "Layers"). `npm run lint`
// runs this after ESLint; `npm run lint:layers` alone. docs/ARCHITECTURE.md shows a planted violation failing.
// The folders are the layers: shared/core (pure), shared/adapters (I/O), shared/composition (where
// services are built), and the entry points functions/, cli/, local/.
const CORE = ['^shared/core/'];
const ADAPTERS = ['^shared/adapters/'];
const COMPOSITION = ['^shared/composition/'];
const ENTRY_POINTS = '^(functions|cli|local)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes load order matter.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'The pure core (parsing, normalizing, rules, alert decisions, mail composition, retention selection) reaches no SDK, file, network or process.',
      from: { path: CORE },
      to: {
        path: [
          '^node_modules/(@azure|@sendgrid|nodemailer)',
          '^(node:)?(fs|fs/promises|http|https|net|child_process|os)$',
        ],
      },
    },
    {
      name: 'core-uses-no-adapter',
      severity: 'error',
      comment: 'The core talks to storage and mail only through ports.',
      from: { path: CORE },
      to: { path: [...ADAPTERS, ...COMPOSITION] },
    },
    {
      name: 'adapters-build-nothing',
      severity: 'error',
      comment: 'Adapters implement ports; only composition and entry points assemble services.',
      from: { path: ADAPTERS },
      to: { path: COMPOSITION },
    },
    {
      name: 'shared-serves-entry-points',
      severity: 'error',
      comment: 'shared/ is used by the entry points and tools, never the other way.',
      from: { path: '^shared/' },
      to: { path: '^(functions|cli|local|bench|scripts)/' },
    },
    {
      name: 'entry-points-apart',
      severity: 'error',
      comment:
        'functions/, cli/ and local/ are entry points: none imports another, except that the local host loads the functions as the Functions host does.',
      from: { path: ENTRY_POINTS },
      to: { path: ENTRY_POINTS, pathNot: ['^$1/', '^functions/'] },
    },
    {
      name: 'functions-are-loaded-by-the-host-only',
      severity: 'error',
      comment: 'Only the local host, the benchmarks that measure a handler, and tests load the functions.',
      from: { pathNot: ['^(local|functions|bench|test)/'] },
      to: { path: '^functions/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'Only tests use test helpers.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|bench/[.]data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
