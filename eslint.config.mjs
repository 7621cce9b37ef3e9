// ESLint 9 flat config: typescript-eslint recommended + React hooks, and the house rule that
// src/core imports no Taro, wx or Node (also enforced by test/architecture.test.ts).
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// `import { z } from 'zod'` keeps zod's `z` object — every locale — in a bundle: the review function grew from 279.7 to
// 560.9 KB over the 300 KB gate with one such import (scripts/build-cloud.ts). The namespace import tree-shakes.
const zodNamespaceOnly = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "import * as z from 'zod': the named z keeps every zod locale in the cloud bundles (+280 KB).",
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-h5/',
      'dist-server/',
      'coverage/',
      'test-artifacts/',
      '.data/',
      'cloudfunctions/*/index.js',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts', 'cloudfunctions/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', zodNamespaceOnly] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tarojs/*', 'wx-server-sdk', 'node:*'],
              message: 'src/core is platform-free: no Taro, wx or Node imports.',
            },
            {
              group: ['fs', 'path', 'os', 'crypto', 'http', 'child_process', 'url', 'util', 'stream', 'buffer'],
              message: 'src/core is platform-free: no Node built-ins.',
            },
            {
              group: ['**/server/*', '**/services/*', '**/pages/*', '**/components/*'],
              message: 'src/core imports only itself.',
            },
          ],
        },
      ],
    },
  },
);
