// Lint: typescript-eslint's type-checked rules everywhere, AppSync's own rules on resolvers.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

export default defineConfig(
  { ignores: ['node_modules/', 'coverage/', 'cdk.out/', '.sandbox/', '.bench/', 'test/fixtures/**/*.js'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // AppSync calls request(ctx) and response(ctx) whether or not a handler reads ctx.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // AWS's own rules for APPSYNC_JS: what the runtime refuses is caught while editing.
    files: ['resolvers/**/*.ts'],
    ignores: ['resolvers/schema-types.ts'],
    plugins: appsync.configs.recommended.plugins,
    rules: appsync.configs.recommended.rules,
  },
  {
    // The sandbox's structure (CONTRIBUTING.md, "The sandbox's layers"), and the clients' (once sandbox/ code): functions
    // stay short enough to read as named steps, and members are private one way (TypeScript's `private`, not `#`).
    files: ['sandbox/**/*.ts', 'clients/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': ['error', { selector: 'PrivateIdentifier', message: 'Use TypeScript\'s `private` for private members (one style in sandbox/).' }],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
