// Lint: strict TypeScript habits, and the rule that only src/redis creates Redis clients and BullMQ objects.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.mjs', '*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      // input validation matches control characters on purpose
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/redis/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'ioredis', message: 'Inject REDIS or RedisConnections from src/redis instead (types only: import type).', allowTypeImports: true },
          { name: 'bullmq', message: 'Use QueueRegistry / WorkerFactory from src/redis (types only: import type).', allowTypeImports: true },
        ],
      }],
    },
  },
  // The dashboard (browser code, DOM types, no Node types): its own tsconfig; its specs run in Node under Jest.
  { files: ['ui/**/*.ts'], languageOptions: { parserOptions: { project: './ui/tsconfig.json', tsconfigRootDir: import.meta.dirname } } },
  { files: ['ui/**/*.spec.ts'], languageOptions: { parserOptions: { project: './ui/tsconfig.spec.json', tsconfigRootDir: import.meta.dirname } } },
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.spec.ts', 'ui/**/*.spec.ts'], rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' } },
);
