// Scale tests: thousands of blobs or deliveries against the test Azurite. They take minutes on two
// busy cores, so `npm test` leaves them out; `npm run test:scale` runs them, with the same Azurite
// global setup as the integration project.
const { resolve } = require('node:path');

const base = require('../../jest.config.js');

const rootDir = resolve(__dirname, '../..');

const integration = base.projects.find((project) => project.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = {
  rootDir,
  // NOTE: a scale test measures volume, not speed: its bound is the machine's, so it gets minutes.
  testTimeout: 900_000,
  projects: [{ ...integration, rootDir, displayName: 'scale', testMatch: ['<rootDir>/test/scale/**/*.test.ts'] }],
};
