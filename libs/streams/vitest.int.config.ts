import { integrationConfig } from '../../vitest.shared.ts';

// The multi-process scenarios stream 2,000 paced rows each: allow two minutes per test.
export default integrationConfig({ testTimeout: 120_000 });
