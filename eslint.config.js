import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Names the raft core may not touch: it is a pure state machine, and every effect (time,
// randomness, I/O, logging) comes in through the node driver. See packages/raft/README.md.
const rawGlobals = [
  'Date',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'performance',
  'process',
  'console',
  'require',
  'fetch',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.tsbuild/**',
      '.toolchain/**',
      '**/coverage/**',
      '**/*.config.js',
      '**/*.config.ts',
      '**/test/golden/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An HA tool must never drop a rejected promise on the floor.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'performance',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.test.ts', 'tools/**/*.ts', 'apps/**/*.ts', '**/examples/**/*.ts', '**/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['packages/raft/src/core/**/*.ts'],
    ignores: ['packages/raft/src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...rawGlobals.map((name) => ({
          name,
          message: `raft core is pure: ${name} is an effect; take it through the node driver`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'raft core is pure: take randomness as an injected source' },
        { object: 'globalThis', message: 'raft core is pure: no globals' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'raft core is pure: no node: imports' },
            {
              group: [
                'fs',
                'fs/*',
                'net',
                'tls',
                'http',
                'https',
                'os',
                'path',
                'child_process',
                'crypto',
                'timers',
                'timers/*',
                'events',
                'worker_threads',
                'dgram',
                'dns',
                'process',
              ],
              message: 'raft core is pure: no Node built-ins',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'AwaitExpression', message: 'raft core is synchronous: no await' },
        {
          selector:
            'FunctionDeclaration[async=true], ArrowFunctionExpression[async=true], FunctionExpression[async=true]',
          message: 'raft core is synchronous: no async functions',
        },
      ],
    },
  },
);
