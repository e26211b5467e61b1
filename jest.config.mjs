/** Five projects share one ESM ts-jest setup; `npm run test:<project>` selects one. */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: 'tsconfig.json',
        diagnostics: { ignoreCodes: [151002], exclude: ['**/*'] },
      },
    ],
  },
};

export default {
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/e2e.global-setup.mjs',
    },
    {
      ...common,
      displayName: 'contract',
      rootDir: '.',
      testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'],
      globalSetup: '<rootDir>/test/contract/emulator.global-setup.ts',
      globalTeardown: '<rootDir>/test/contract/emulator.global-teardown.ts',
    },
    {
      ...common,
      displayName: 'resilience',
      rootDir: '.',
      testMatch: ['<rootDir>/test/resilience/**/*.resilience-spec.ts'],
      globalSetup: '<rootDir>/test/e2e.global-setup.mjs',
    },
    {
      ...common,
      displayName: 'browser',
      rootDir: '.',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/e2e.global-setup.mjs',
    },
  ],
};
