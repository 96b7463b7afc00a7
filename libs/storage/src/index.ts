// Public entry of @homeserver/storage: the only package that talks to PostgreSQL.
export type { Database, DatabaseOptions, PostgresConnectionOptions, QueryResult, Queryable, Session } from './database.ts';
export { DatabaseError, UNIQUE_VIOLATION, isUniqueViolation } from './database.ts';
export type { AdvisoryLock } from './advisory-lock.ts';
export { tryAdvisoryLock } from './advisory-lock.ts';
export type { Migration } from './migrations.ts';
export { MigrationError, applyMigrations, loadMigrations, splitStatements } from './migrations.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { openDatabase } from './open-database.ts';

// --- Rooms and events (CS-rooms): libs/storage/src/rooms, migrations 1000-1099 -----------
export type { EventRow, StoredEvent } from './rooms/event-row.ts';
export type { RoomEventFilterSql } from './rooms/event-filter-sql.ts';
export type { RelationsOptions, RoomEventsOptions, RoomEventsPage } from './rooms/event-queries.ts';
export {
  getEvent,
  getEventNearTimestamp,
  getEvents,
  getLastRoomEvent,
  getLatestEventStreamPosition,
  getRelatedEvents,
  getRoomEvents,
  getRoomsWithEventsBetween,
  getThreadRoots,
} from './rooms/event-queries.ts';
export type { StateAtEventOptions, StateEntry, StateTypeFilter } from './rooms/state-queries.ts';
export {
  getCurrentState,
  getCurrentStateEvent,
  getCurrentStateIds,
  getStateGroupIds,
  getStateIdsAtEvent,
  getStateIdsAtPosition,
  loadEvents,
} from './rooms/state-queries.ts';
export type { MembershipRow, RoomMembersOptions, RoomsForUserOptions } from './rooms/membership-queries.ts';
export {
  countJoinedMembers,
  forgetRoom,
  getMembership,
  getMembershipChanges,
  getMembershipHistory,
  getRoomMembers,
  getRoomsForUser,
  shareJoinedRoom,
} from './rooms/membership-queries.ts';
export type { AliasRow, PublicRoomsOptions, RoomRow, TxnKey } from './rooms/room-queries.ts';
export {
  createAlias,
  deleteAlias,
  getAlias,
  getAliasesForRoom,
  getEventIdForTxn,
  getPublicRooms,
  getRoom,
  getTxnForEvents,
  insertRoom,
  setRoomPublic,
} from './rooms/room-queries.ts';
export type { CurrentStateUpdate, EventToPersist, NewStateGroup, PersisterSnapshot } from './rooms/persist-events.ts';
export {
  allocateEventPositions,
  insertEvents,
  insertStateGroup,
  loadPersisterSnapshot,
  setForwardExtremities,
  updateCurrentState,
} from './rooms/persist-events.ts';
