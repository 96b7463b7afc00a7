// The main app: the monolith by default (every role in one process), or the main process of a
// worker deployment. Which of these roles actually run here is decided by the config.
import { launchApp } from '@homeserver/runtime/launch';

await launchApp('main', async () => (await import('./main-modules.ts')).mainModules());
