import { mergeConfig } from 'vitest/config';
import { unitConfig } from '../../../vitest.shared.ts';

// Each spec file boots its own PGlite; one at a time keeps the shared 2-core machine responsive.
export default mergeConfig(unitConfig(), { test: { fileParallelism: false } });
