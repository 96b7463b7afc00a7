import { integrationConfig } from '../../vitest.shared.ts';

export default integrationConfig({ testTimeout: 300_000 });
