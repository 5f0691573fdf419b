// jest runs the TypeScript sources as ES modules (package "type": "module"), transformed by swc.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  coverageProvider: 'v8',
  collectCoverageFrom: ['resolvers/**/*.ts', 'functions/**/*.ts', 'sandbox/**/*.ts', '!**/*.d.ts'],
  coverageThreshold: { global: { lines: 90 } },
  coverageReporters: ['text-summary', 'json-summary'],
  testTimeout: 30000,
};
