// Two projects so pure-logic tests never wait for Azurite: jest runs a project's globalSetup only when
// at least one of its tests is selected. Scale tests (test/scale, `npm run test:scale`) have a config
// of their own, so `npm test` never runs them.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = {
  // The Kusto parser loaded once per worker, not once per test file (see the environment's NOTE).
  testEnvironment: '<rootDir>/test/harness/kustoEnvironment.ts',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/harness/silenceFunctionsTestMode.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // NOTE: the first rule compiled in each test file loads Microsoft's Kusto parser (1-3 s on 2 busy
  // cores); jest's 5 s default leaves too little room for that plus an Azurite round trip. A global
  // option: jest ignores it inside projects.
  testTimeout: 30_000,
  // NOTE: jest's default is one worker per core minus one, so on the 2-core machines we run on the suite
  // ran in one worker: 205 s. Two workers share the cores with Azurite (in this parent process), whose
  // requests mostly wait on I/O: 120 s, the same tests (measured 2026-12-07).
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/globalSetup.ts',
      globalTeardown: '<rootDir>/test/harness/globalTeardown.ts',
    },
  ],
};
