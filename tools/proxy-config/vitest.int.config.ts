import { integrationConfig } from '../../vitest.shared.ts';

// The proxies are installed from Debian's packages on first run (a minute or two).
export default integrationConfig({ testTimeout: 300_000 });
