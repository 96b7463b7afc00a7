// @homeserver/services/visibility: what a reader may see and how it is shown: history visibility
// for every read path, erased senders, and the one event formatter of /sync, /messages, /context
// and /event.
export type { FormatOptions } from './event-formatter.ts';
export { EventFormatter } from './event-formatter.ts';
export type {
  FilterVisibleOptions,
  MembershipPoint,
  RoomAccess,
  RoomAccessOptions,
  VisibilityChange,
  VisibilityContext,
  VisibilityEvent,
} from './history-visibility.ts';
export {
  filterVisible,
  historyVisibilityChanges,
  historyVisibilityChangesOfRooms,
  historyVisibilityOf,
  isEventVisible,
  requireJoined,
  roomAccess,
  visibleEvents,
} from './history-visibility.ts';
export { redactErasedFor } from './erased-senders.ts';
