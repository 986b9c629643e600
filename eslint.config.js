// Lint: typescript-eslint's recommended rules, plus the determinism rules for
// the simulated layers: no real time, no real randomness, no timers, no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DETERMINISM = 'Deterministic code takes time from the virtual clock and randomness from a seeded stream (ctx.now(), ctx.random(), Rng); it never reads real time, real randomness or files.';

const deterministicDirs = ['src/sim/**', 'src/net/**', 'src/cluster/**', 'src/smr/**', 'src/workload/**', 'src/run/**', 'src/check/**', 'src/metrics/**', 'src/api/**', 'protocols/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fuzz-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: deterministicDirs,
    rules: {
      'no-restricted-properties': [
        'error',
        ...[
          ['Math', 'random'],
          ['Date', 'now'],
          ['performance', 'now'],
          ['crypto', 'randomUUID'],
          ['crypto', 'getRandomValues'],
          ['process', 'hrtime'],
          ['globalThis', 'setTimeout'],
          ['globalThis', 'setInterval'],
        ].map(([object, property]) => ({ object, property, message: DETERMINISM })),
      ],
      'no-restricted-globals': ['error', ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'performance', 'crypto'].map((name) => ({ name, message: DETERMINISM }))],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: DETERMINISM },
        { selector: "CallExpression[callee.name='Date']", message: DETERMINISM },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'node:perf_hooks', 'perf_hooks', 'node:timers', 'timers', 'node:crypto', 'crypto', 'node:worker_threads'].map((name) => ({ name, message: DETERMINISM })),
        },
      ],
    },
  },
  {
    // Protocols reach the simulator only through the protocol API.
    files: ['protocols/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'node:perf_hooks', 'perf_hooks', 'node:timers', 'timers', 'node:crypto', 'crypto', 'node:worker_threads'].map((name) => ({ name, message: DETERMINISM })),
          patterns: [{ regex: '^\\.\\./\\.\\./src/(?!api/)', message: 'protocols import only the protocol API (src/api/index.js), never the simulator internals' }],
        },
      ],
    },
  },
);
