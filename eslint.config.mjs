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
    // The pure core gets its time and its settings from its callers (a `now` function, options), so a
    // test can set them and a replay can shift them. dependency-cruiser checks its imports.
    files: ['shared/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The core takes settings as arguments; read the environment in an adapter.' },
        { name: 'setTimeout', message: 'The core does not wait; a port or the caller does.' },
        { name: 'setInterval', message: 'The core does not wait; a port or the caller does.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The core reads no clock: take a `now` function from the caller.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The core reads no clock: take a `now` function from the caller.',
        },
        {
          selector: "MemberExpression[object.name='performance'][property.name='now']",
          message: 'The core reads no clock: take a `now` function from the caller.',
        },
      ],
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
