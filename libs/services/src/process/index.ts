// @homeserver/services/process: the process a role runs in: its server context, role modules, the
// requester an edge authenticated, background duties, and small shared utilities (bounded caches,
// identifier path params).
export type { Requester } from './requester.ts';
export type { ListenerResource, RoleModule, RunningRole } from './role-module.ts';
export { lazyRoleModule } from './role-module.ts';
export type { Clock, ServerContext } from './server-context.ts';
export { systemClock } from './server-context.ts';
export { BoundedCache } from './bounded-cache.ts';
export type { KeptListeningOptions } from './kept-listening.ts';
export { KeptListening } from './kept-listening.ts';
export type { BackgroundTasksOptions } from './background-tasks.ts';
export { runBackgroundTasksOnce, startBackgroundTasks } from './background-tasks.ts';
export { eventIdParam, roomAliasParam, roomIdParam, userIdParam } from './id-params.ts';
