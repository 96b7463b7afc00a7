import { mergeConfig } from 'vitest/config';
import { integrationConfig } from '../../vitest.shared.ts';

// The client-SDK suite boots the monolith (PGlite takes 20-70 s on a busy machine) and sends
// a thousand messages per storage mode.
export default mergeConfig(integrationConfig({ testTimeout: 240_000 }), {
  test: {
    // matrix-js-sdk's MatrixRTC sessions log to the console through loggers of their own.
    onConsoleLog: (log: string) => !log.includes('[MatrixRTCSession'),
  },
});
