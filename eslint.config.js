import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
