// Lint enforces the layer rules of DESIGN.md: which folder may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Node's built-in modules, matched as whole import specifiers (so a local `./events` file
// is not mistaken for the `events` module).
const nodeBuiltinNames = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'url',
  'util',
  'stream',
  'events',
  'worker_threads',
];
const nodeBuiltins = { regex: `^(node:.*|(${nodeBuiltinNames.join('|')})(/.*)?)$` };
const pattern = (group, message) => (Array.isArray(group) ? { group, message } : { ...group, message });

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]',
          message: 'No HTML sinks: render text.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'No HTML sinks: render text.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  // ---- layer rules
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(nodeBuiltins, 'shared/ runs everywhere: no Node built-ins.'),
            pattern(['electron', 'react', 'react-dom'], 'shared/ must not depend on a runtime.'),
            pattern(['**/electron/**', '**/server/**', '**/renderer/**'], 'shared/ imports nothing of ours.'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron'], 'electron/core is Electron-free: pass Electron services in as interfaces.'),
            pattern(
              ['**/electron/main/**', '**/main/**', '**/preload/**', '**/host/**', '**/renderer/**', '**/server/**'],
              'electron/core may import shared/ only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['**/preload/**', '**/host/**', '**/renderer/**', '**/server/**'],
              'electron/main may import shared/ and electron/core only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['**/core/**', '**/main/**', '**/host/**', '**/renderer/**', '**/server/**'],
              'the preload may import shared/ names and types only.',
            ),
            {
              group: ['**/shared/ipc/contract', '**/shared/ipc/dispatch', '**/shared/ipc/index', 'zod'],
              allowTypeImports: true,
              message: 'the preload imports channel names (shared/ipc/names) and types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron'], 'host mode runs without Electron.'),
            pattern(
              ['**/main/**', '**/preload/**', '**/renderer/**', '**/server/**'],
              'electron/host may import shared/ and electron/core only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron', 'react'], 'the relay is a plain Node server.'),
            pattern(
              ['**/electron/**', '**/renderer/**', '**/shared/ipc/**', '**/shared/ipc'],
              'server/ may import shared/protocol only.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks },
    settings: { react: { version: 'detect' } },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      'react/no-danger': 'error',
      'react/prop-types': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(nodeBuiltins, 'the renderer is sandboxed: no Node.'),
            pattern(['electron'], 'the renderer is sandboxed: no Electron.'),
            pattern(
              ['**/electron/**', '**/server/**'],
              'the renderer talks to the core only through the IPC contract.',
            ),
            { group: ['**/shared/**'], allowTypeImports: true, message: 'the renderer imports shared/ types only.' },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures must destructure their (possibly empty) dependencies.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
