// Public entry of @homeserver/role-event-persister: the per-room persister actors.
export { eventPersisterRole } from './event-persister-role.ts';
export type { RoomActorDeps } from './room-actor.ts';
export { RoomActor, roomActorDefinition } from './room-actor.ts';
