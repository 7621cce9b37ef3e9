// ESLint 9 flat config: typescript-eslint recommended + React hooks, and the house rule that
// src/core imports no Taro, wx or Node (also enforced by test/architecture.test.ts).
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
