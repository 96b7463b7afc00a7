import { integrationConfig } from '../../vitest.shared.ts';

// The client-SDK suite boots the monolith (PGlite takes 20-70 s on a busy machine) and sends
// a thousand messages per storage mode.
export default integrationConfig({ testTimeout: 240_000 });
