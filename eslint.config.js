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
    // Content-script code (ARCHITECTURE.md, the content script island): runs in every CRM page,
    // so it stays zod-free, React-free and Dexie-free (≤ 10 KB gzip). Neither those packages nor
    // our modules that import them at run time; `import type` is erased at build and allowed.
    files: ['entrypoints/crm-*.ts', 'lib/content/**/*.ts', 'lib/crm/**/*.ts'],
    // lib/crm/lead-page-url.ts parses lead keys with zod (lib/domain/lead-key.ts): it serves the
    // worker and the popup (which lead page may be opened), never the content script.
    ignores: ['lib/crm/lead-page-url.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(zod|react|react-dom|dexie|dexie-[a-z-]+|@tanstack/.+)(/.*)?$',
              message: 'Content-script code stays zod-, React- and Dexie-free (10 KB gzip budget): ask the service worker through lib/messaging.',
            },
            {
              // our modules that import zod, React or Dexie; lib/domain/salesforce-id.ts is free of them
              regex: '(^|/)(domain/(?!salesforce-id$)[^/]+|domain|settings(/.*)?|messaging/protocol|crm/lead-page-url|(background|components|db|sync|protocol|queue|notifications)(/.*)?)$',
              allowTypeImports: true,
              message: 'This module imports zod, React or Dexie at run time: content-script code may import only its types (import type).',
            },
          ],
        },
      ],
    },
  },
  {
    // Extension pages never load service-worker modules: they read IndexedDB through lib/db
    // (lib/db/reads.ts) or ask the worker through lib/messaging; pure rules come from lib/domain.
    files: ['components/**/*.{ts,tsx}', 'entrypoints/{popup,options,kpis,panel}/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)lib/background(/.*)?$|^\\.\\./background(/.*)?$',
              message: 'Extension pages do not import service-worker modules (lib/background): use lib/db/reads.ts, lib/messaging or lib/domain.',
            },
          ],
        },
      ],
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
