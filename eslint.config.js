// One linter for the whole tree: TypeScript's recommended rules, the promise rules that catch
// fire-and-forget bugs in an extension (a dropped promise in the service worker is a lost
// write), React hooks, and TanStack Query's rules (style.md practice 12).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.output/**', '.output-e2e-*/**', '.wxt/**', 'node_modules/**', 'tests/artifacts/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginQuery.configs['flat/recommended'],
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `_name` marks a binding kept on purpose (destructuring a field away, an unused parameter)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // the sandbox CRM's page scripts: plain browser JavaScript, served as is
    files: ['tests/sandbox/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
    // ES5-style code (`catch (e)`, callbacks with their full parameter lists) on purpose: it mimics the CRM pages
    rules: { '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }] },
  },
  {
    files: ['eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
