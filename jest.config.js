// Two projects: `unit` (beside the code, pure, no servers, no real time) and `integration`
// (test/**/*.integration.test.ts, against real servers started by tools/testenv).
// TypeScript is compiled by @swc/jest to ES modules; jest runs them under --experimental-vm-modules.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript' },
      target: 'es2023',
      transform: { useDefineForClassFields: true },
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  // NodeNext sources import './x.js'; the file on disk is './x.ts'.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Workspace packages resolve to their TypeScript sources, never to a stale dist/.
  testEnvironmentOptions: { customExportConditions: ['@orc/source', 'node', 'node-addons'] },
  testEnvironment: 'node',
};

export default {
  // Two workers even on a 2-core machine (jest's default would be one): integration tests spend
  // most of their time waiting on servers.
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{packages,apps,tools}/*/src/**/*.test.ts',
        '<rootDir>/{packages,apps,tools}/*/test/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      // A bound, not a speed target: each integration test also bounds its own waits. Set in a
      // setup file because jest-circus ignores a project's own `testTimeout`.
      setupFilesAfterEnv: ['<rootDir>/tools/scripts/jest-integration-timeout.mjs'],
      testMatch: ['<rootDir>/{packages,apps,tools}/*/test/**/*.integration.test.ts'],
      slowTestThreshold: 60,
    },
  ],
};
