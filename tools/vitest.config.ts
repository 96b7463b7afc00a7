import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/**/*.spec.ts', 'bundle/**/*.spec.ts', 'register-user/**/*.spec.ts'],
    testTimeout: 180_000,
    globalSetup: [fileURLToPath(new URL('../vitest.tmpdir.ts', import.meta.url))],
  },
});
