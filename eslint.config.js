import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Readers of untrusted files: no regex may backtrack super-linearly on a long line (the fuzzer found one once).
    files: ['src/parse/**/*.ts', 'src/discover/**/*.ts', 'src/validate/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Markdown is text that is safe to publish; only the escaper may make it (see src/render/escape.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/render/escape.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TSAsExpression', 'TSTypeAssertion'].map((node) => ({
          selector: `${node}[typeAnnotation.typeName.name='Markdown']`,
          message: 'Only src/render/escape.ts makes Markdown: use md(), html(), decimal() or the markup`` template.',
        })),
      ],
    },
  },
);
