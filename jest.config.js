// jest runs the TypeScript sources as ES modules (package "type": "module"), transformed by swc.
/** @type {import('jest').Config} */
export default {
  // jest's Node environment, minus Node 22's navigator (test/support/node-environment.js says why).
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  // Resolvers import the APPSYNC_JS modules, which the package ships as typings only: under jest they are the
  // sandbox's real runtime (test/support/appsync-utils.ts), the same code that serves them.
  moduleNameMapper: {
    '^@aws-appsync/utils$': '<rootDir>/test/support/appsync-utils.ts',
    '^@aws-appsync/utils/dynamodb$': '<rootDir>/sandbox/appsync/runtime/module-utils-dynamodb.ts',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Most suites wait on sockets and streams, not on the CPU: two at a time use 2 cores well.
  maxWorkers: 2,
  // Amplify's and Apollo's real-time clients leave timers behind after unsubscribing (CONTRIBUTING.md, "Facts we measured"):
  // the run must end when the tests have, not when their timers do.
  forceExit: true,
  coverageProvider: 'v8',
  // The playground's page code runs in Chromium (test/e2e/playground.test.ts), where Node's coverage can't see it.
  collectCoverageFrom: ['resolvers/**/*.ts', 'functions/**/*.ts', 'sandbox/**/*.ts', 'clients/**/*.ts', '!**/*.d.ts', '!resolvers/schema-types.ts', '!clients/playground/{app,chat,reply-view,graphiql,dom,markdown-view,attachment-picker}.ts'],
  coverageThreshold: { global: { lines: 90 } },
  coverageReporters: ['text-summary', 'json-summary'],
  testTimeout: 90000,
};
