// The layers, and the direction a dependency may go (docs/ARCHITECTURE.md, "Layers"). `npm run lint`
// runs this after ESLint; `npm run lint:layers` alone. docs/ARCHITECTURE.md shows a planted violation failing.
// The Table Storage adapter of rules lives beside them; it is not core.
const NOT_CORE = ['^shared/rules/ruleStore[.]ts$'];
const ADAPTERS = [
  '^shared/storage/',
  '^shared/(appServices|config)[.]ts$',
  '^shared/rules/ruleStore[.]ts$',
  '^shared/alerts/tableAlertBook[.]ts$',
  '^shared/cursors/(blobAppendSource|tableCursorStore)[.]ts$',
  '^shared/retention/(blobRetentionStore|retentionSettings|runRetentionSweep)[.]ts$',
  '^shared/mail/(sendGridMailer|outboxMailer|createMailer)[.]ts$',
];
const CORE = [
  '^shared/export/',
  '^shared/rules/',
  '^shared/json/',
  '^shared/schedule/',
  '^shared/result[.]ts$',
  '^shared/digestKey[.]ts$',
  '^shared/alerts/(alertState|alertRecord|matchCollector|alertEmailFor|deliveryTally|simulateAlerts)[.]ts$',
  '^shared/mail/(compose[A-Za-z]*|alertEmail|alertSubject|displayValue|eventColumns|renderAlertBody)[.]ts$',
  '^shared/retention/(select[A-Za-z]*|retentionPolicy|sweepSummary|formatSweepSummary)[.]ts$',
  '^shared/cursors/(exportCursor|completeLines)[.]ts$',
];

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
      from: { path: CORE, pathNot: NOT_CORE },
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
      from: { path: CORE, pathNot: NOT_CORE },
      to: { path: ADAPTERS },
    },
    {
      name: 'entry-points-apart',
      severity: 'error',
      comment: 'functions/ and cli/ are entry points: neither imports the other or the local host.',
      from: { path: '^(functions|cli)/' },
      to: { path: '^(local|cli|functions)/', pathNot: '^$1/' },
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
