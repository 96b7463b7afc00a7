// The main app: the monolith by default (every role in one process), or the main process of a
// worker deployment. Which of these roles actually run here is decided by the config.
import { runApp } from '@homeserver/runtime';
import { mainModules } from './main-modules.ts';

await runApp('main', mainModules());
