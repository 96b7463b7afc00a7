// One lint config for the whole workspace. The module-boundary rules here are the
// architecture's dependency contract (ARCHITECTURE.md section 2), enforced, not advised.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const busClients = ['@nats-io/*', 'redis', '@redis/*'];
const databaseClients = ['pg', 'pg-*', '@electric-sql/pglite', '@electric-sql/pglite/*'];
const ioModules = [
  'node:fs', 'node:fs/*', 'fs', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https',
  'node:child_process', 'child_process', 'node:dgram', 'node:dns', 'node:worker_threads',
  'fastify', 'pino', 'undici',
];

function restrict(groups, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/.nx/**', '**/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
            { sourceTag: 'type:role', notDependOnLibsWithTags: ['type:role'] },
          ],
        },
      ],
    },
  },
  // Only the transport lib talks to NATS or Redis.
  { files: ['**/*.ts'], ignores: ['libs/transport/**', 'tools/**'], rules: restrict(busClients, 'Only libs/transport may import a NATS or Redis client; use the transport port.') },
  // Only the storage lib talks to PostgreSQL.
  { files: ['**/*.ts'], ignores: ['libs/storage/**', 'tools/**'], rules: restrict(databaseClients, 'Only libs/storage may import pg or PGlite; use the storage lib.') },
  // An ES import of a builtin reads all its exports, lazy getters included: node:http's WebSocket
  // getters load Node's bundled undici (~13 MiB), node:process's stdin/stdout/report getters load
  // streams, readline and the REPL's history. Servers take node:http from
  // process.getBuiltinModule, and use the global process.
  {
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', '**/bench/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          ...['node:http', 'http'].map((name) => ({ name, allowTypeImports: true, message: "Use process.getBuiltinModule('node:http'): an ES import of it loads undici in every process." })),
          ...['node:process', 'process'].map((name) => ({ name, allowTypeImports: true, message: 'Use the global process: an ES import of node:process runs its lazy getters (stdin, report...).' })),
        ],
      }],
    },
  },
  // The Matrix core is pure: no I/O of any kind.
  {
    files: ['libs/matrix/**/*.ts'],
    ignores: ['libs/matrix/**/*.spec.ts', 'libs/matrix/bench/**'],
    rules: restrict([...busClients, ...databaseClients, ...ioModules], 'libs/matrix is pure: no I/O imports.'),
  },
  {
    files: ['**/*.spec.ts', 'tools/**/*.ts', '**/bench/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
