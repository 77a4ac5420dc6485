// ESLint flat config: typescript-eslint's type-checked recommended rules, the promise rules that catch
// a lost alert (a floating or misused promise), and import order, as the Azure Functions Node library
// runs them. Formatting is Prettier's, not ESLint's.
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/.data/**',
      'coverage/**',
      'outbox/**',
      'test/fixtures/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always'],
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      // A `default:` branch is how these switches say "anything else" on purpose (typeof, KQL types).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Names starting with `_` are placeholders a signature or a destructuring needs.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Ports are async; their in-memory fakes and the async generators that make AsyncIterables need no
      // await. The promise rules above still catch a promise that is dropped or misused.
      '@typescript-eslint/require-await': 'off',
      // Control characters are what these patterns look for: JSON escapes, header injection, ids.
      'no-control-regex': 'off',
    },
  },
  {
    // Jest's asymmetric matchers (`expect.any`, `expect.stringMatching`) are typed `any`, and tests pass
    // methods to `expect` and load modules afresh with `require` inside `jest.isolateModules`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
