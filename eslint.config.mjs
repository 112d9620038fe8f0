// Flat config: typed linting for every TypeScript project; server/ and runtimes/ must run
// in plain Node (language server, CLI, tests), so they may not import `vscode`; the editor and
// the CLI use the runtimes through their public faces.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'server/, runtimes/ and cli/ run in plain Node: no vscode import.' };
/**
 * The editor and the CLI reach the runtimes through their faces only, so what is public is
 * written down once and the rest can change behind it.
 */
const runtimesFaces = {
  regex: '(^|/)runtimes/src/(?!(index|runtime|runSpec|request/[^/]+|slurm/index)$)',
  message: 'extension/ and cli/ import the runtimes through runtimes/src/index, runtime, runSpec, request/* or slurm/index: export what you need from there.',
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tools/**', 'test/vscode/workspace/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['server/**/*.ts', 'runtimes/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [runtimesFaces] }] },
  },
  {
    files: ['extension/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [runtimesFaces] }] },
  },
);
