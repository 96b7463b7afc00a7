// Public entry of @homeserver/services: cross-role contracts (process context, role modules,
// requester) and the typed actor clients one role uses to ask another.
export type { Requester } from './requester.ts';
export type { ListenerResource, RoleModule, RunningRole } from './role-module.ts';
export { lazyRoleModule } from './role-module.ts';
export type { Clock, ServerContext } from './server-context.ts';
export { systemClock } from './server-context.ts';

// --- Rooms (CS-rooms): the room persister actor protocol, its client, the events stream ---
export type {
  CreateLocalEventsReply,
  CreateLocalEventsRequest,
  CreateRoomSpec,
  EventTemplate,
  IngestKind,
  IngestOutcome,
  IngestReply,
  IngestRequest,
  JoinRemoteRoomReply,
  JoinRemoteRoomRequest,
  LocalEventResult,
  ReceiveInviteRequest,
  RemoteLeaveRequest,
  PurgeHistoryReply,
  PurgeHistoryRequest,
  RoomFailure,
  RoomFailureKind,
  RoomProtocol,
  RoomRequester,
} from './room-protocol.ts';
export { EVENTS_STREAM, ROOM_ACTOR_KIND, roomFailure } from './room-protocol.ts';
export type { ProfileChange, RoomClientOptions, SendManyResult, SendResult } from './room-client.ts';
export { RoomClient } from './room-client.ts';
export { eventsStream } from './events-stream.ts';
export type { CatalogueEntry, CataloguedStream } from './stream-catalogue.ts';
export {
  STREAM_CATALOGUE,
  presenceStream,
  streamWriterProblems,
  streamWritersOf,
  toDeviceStream,
  typingStream,
  writesStream,
} from './stream-catalogue.ts';
export { accountDataStream } from './account-data-stream.ts';
export { receiptsStream } from './receipts-stream.ts';
export type { DeviceListChange } from './device-lists-stream.ts';
export { deviceListsStream, recordDeviceListChanges } from './device-lists-stream.ts';
export type { CrossSigningQueryResult, LocalDeviceKeysOptions } from './local-e2e-keys.ts';
export { claimLocalKeys, localDeviceKeys, storedCrossSigningKeys } from './local-e2e-keys.ts';
export type { RemoteDeviceListHandler, RemoteDeviceLists, RemoteDeviceUpdate, RemoteSigningKeyUpdate } from './remote-device-lists.ts';
export { REMOTE_DEVICE_LIST_KIND, remoteDeviceLists } from './remote-device-lists.ts';
// --- Stream writers (role-stream-writers): the writer actors' protocol and typed client ------
export type {
  AccountDataWriterHandler,
  DeviceListsWriterHandler,
  PresenceHandler,
  ReceiptsWriterHandler,
  SendReceiptOptions,
  SendToDeviceRequest,
  SetPresenceOptions,
  ToDeviceWriterHandler,
  TypingWriterHandler,
} from './stream-writer-protocol.ts';
export {
  ACCOUNT_DATA_WRITER_KIND,
  DEVICE_LISTS_WRITER_KEY,
  DEVICE_LISTS_WRITER_KIND,
  PRESENCE_ACTOR_KIND,
  PRESENCE_STATES,
  RECEIPTS_WRITER_KIND,
  TO_DEVICE_WRITER_KIND,
  TYPING_WRITER_KIND,
} from './stream-writer-protocol.ts';
export type { AccountDataWrites, DeviceListWrites, DeviceListWritesOptions, EphemeralWrites, EphemeralWritesOptions } from './stream-writer-client.ts';
export { accountDataWrites, deviceListWrites, ephemeralWrites } from './stream-writer-client.ts';
export type { FormatOptions } from './event-formatter.ts';
export { EventFormatter } from './event-formatter.ts';

// --- Accounts (CS-accounts): access-token auth and sync filters ---------------------------
export type { AccessTokenAuthOptions } from './access-token-auth.ts';
export type { AppserviceAnswer, AppserviceCallOptions } from './appservice-client.ts';
export { callAppservice } from './appservice-client.ts';
export type { NamespaceKind } from './appservices.ts';
export { Appservices, noAppservices } from './appservices.ts';
export { AccessTokenAuth, hashToken, requesterOf } from './access-token-auth.ts';
export { notServerAdmin, requireServerAdmin, serverAdminPreHandler } from './admin-check.ts';
export type { EventFilter, Filter, FilterableEvent, RoomEventFilter, RoomFilter } from './filter.ts';
export {
  DEFAULT_FILTER,
  InvalidFilterError,
  applyEventFields,
  eventMatches,
  matchesGlob,
  parseFilter,
  roomEventMatches,
  roomMatches,
} from './filter.ts';

// --- History visibility: one implementation for every read path (room API and /sync) ---------
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
  historyVisibilityOf,
  isEventVisible,
  requireJoined,
  roomAccess,
  visibleEvents,
} from './history-visibility.ts';
export { redactErasedFor } from './erased-senders.ts';

// --- Push actions: what each member's push rules say about new events (written by the room's
// persister with the events; sync reads them, the pusher pushes them) ---------------------------
export { BoundedCache } from './bounded-cache.ts';
export type { OwnPushRules, PushCandidate, PushContext, PushRulesOf, StorePushActionsOptions } from './push-actions.ts';
export { storedPushRules, storePushActions } from './push-actions.ts';

// --- Background tasks (run_background_tasks_on) -----------------------------------------------
export type { BackgroundTasksOptions } from './background-tasks.ts';
export { runBackgroundTasksOnce, startBackgroundTasks } from './background-tasks.ts';
export { publicRoomFields } from './public-room-fields.ts';
export { eventIdParam, roomAliasParam, roomIdParam, userIdParam } from './id-params.ts';
