// Shared Vitest settings: unit tests (`*.spec.ts`) and tests that need real servers
// (`*.int.spec.ts`) run under separate targets so `nx affected -t test` stays fast.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const privateTmpdir = fileURLToPath(new URL('./vitest.tmpdir.ts', import.meta.url));

export function unitConfig() {
  return defineConfig({
    test: {
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
      // PGlite (WASM PostgreSQL) takes seconds to boot, more on a busy 2-core machine.
      testTimeout: 60_000,
      hookTimeout: 180_000,
      passWithNoTests: false,
      globalSetup: [privateTmpdir],
    },
  });
}

export function integrationConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
      passWithNoTests: false,
      globalSetup: [privateTmpdir],
    },
  });
}
