// Public entry of @homeserver/runtime: the process bootstrap every app calls.
export { runApp } from './run-app.ts';
export type { RunningProcess, StartProcessOptions } from './start-process.ts';
export { startProcess } from './start-process.ts';
export { hostedRoles } from './hosted-roles.ts';
