// Public entry of @homeserver/storage: the only package that talks to PostgreSQL.
export type { Database, DatabaseOptions, DatabasePoolStats, PostgresConnectionOptions, QueryResult, Queryable, Session, Listening, TransactionOptions } from './database.ts';
export { DatabaseError, UNIQUE_VIOLATION, isUniqueViolation } from './database.ts';
export type { AdvisoryLock } from './advisory-lock.ts';
export { tryAdvisoryLock } from './advisory-lock.ts';
export type { Migration } from './migrations.ts';
export { MigrationError, applyMigrations, loadMigrations, splitStatements } from './migrations.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { openDatabase } from './open-database.ts';
export type { BatchedLookupOptions } from './batched-lookup.ts';
export { BatchedLookup } from './batched-lookup.ts';
export { prepared } from './prepared.ts';
export type { WritePart } from './combined-writes.ts';
export { runCombinedWrites } from './combined-writes.ts';

// --- Rooms and events (CS-rooms): libs/storage/src/rooms, migrations 1000-1099 -----------
export type { EventRow, StoredEvent } from './rooms/event-row.ts';
export type { RoomEventFilterSql } from './rooms/event-filter-sql.ts';
export type { EventStreamRow, EventStreamView, RelationsOptions, RoomEventsOptions, RoomEventsPage } from './rooms/event-queries.ts';
export {
  eventStreamViewBits,
  fetchEventStreamRows,
  getEvent,
  getEventNearTimestamp,
  getEvents,
  getLastRoomEvent,
  getLatestEventStreamPosition,
  getRelatedEvents,
  getRoomEvents,
  getRoomActivityBetween,
  getRoomsWithEventsBetween,
  getThreadRoots,
  listenToRemovedEvents,
} from './rooms/event-queries.ts';
export type { RelationRow } from './rooms/relation-queries.ts';
export { getRelationsFor, getReplacedStateIds } from './rooms/relation-queries.ts';
export type { StateAtEventOptions, StateEntry, StateTypeFilter } from './rooms/state-queries.ts';
export {
  getCurrentState,
  getCurrentStateEvent,
  getCurrentStateIds,
  getStateGroupIds,
  getStateIdsAtEvent,
  getStateGroupAtPosition,
  getStateIdsAtPosition,
  loadEvents,
} from './rooms/state-queries.ts';
export type { MembershipRow, RoomMemberSummary, RoomMembersOptions, RoomsForUserOptions } from './rooms/membership-queries.ts';
export {
  countJoinedMembers,
  forgetRoom,
  getMembership,
  getMembershipChanges,
  getMembershipHistory,
  getRoomMembers,
  getRoomsForUser,
  isRoomForgotten,
  roomMemberSummaries,
  shareJoinedRoom,
} from './rooms/membership-queries.ts';
export type { AliasRow, PublicRoomsOptions, RoomRow, TxnKey } from './rooms/room-queries.ts';
export {
  createAlias,
  deleteAlias,
  getAlias,
  getAliasesForRoom,
  moveRoomAliases,
  getEventIdForTxn,
  getTxnEvent,
  getTxnEvents,
  txnKeyString,
  recentTxnEvents,
  getPublicRooms,
  getRoom,
  getTxnForEvents,
  insertRoom,
  setRoomPublic,
} from './rooms/room-queries.ts';
export { nextCreateEventTimestamp } from './rooms/room-create-clock.ts';
export { getBackwardExtremities } from './rooms/backfill-queries.ts';
export type { CurrentStateUpdate, EventToPersist, NewStateGroup, PersisterSnapshot, StateMembershipRow } from './rooms/persist-events.ts';
export type { EventFlags, RoomOwner, TakeRoomOwnershipOptions } from './rooms/room-input-store.ts';
export {
  allocateBehindOrderings,
  fenceRoomCommit,
  fenceRoomCommits,
  getAuthChainIds,
  getEventFlags,
  getRoomHead,
  getRoomOwner,
  releaseRoomOwnership,
  takeRoomOwnership,
} from './rooms/room-input-store.ts';
export {
  allocateEventPositions,
  currentStateWrites,
  forwardExtremityWrites,
  insertEvents,
  insertStateGroup,
  insertStateMemberships,
  loadPersisterSnapshot,
  setForwardExtremities,
  setForwardExtremitiesOfRooms,
  stateMembershipWrites,
  updateCurrentState,
} from './rooms/persist-events.ts';
export type { SearchCursor, SearchEventsOptions, SearchHit, SearchRoom, SearchableEvent } from './rooms/search-queries.ts';
export { SEARCH_KEYS, countSearchMatches, insertSearchEntries, searchEntryWrites, searchEvents, searchHighlights } from './rooms/search-queries.ts';
export type { HierarchySession } from './rooms/hierarchy-session-store.ts';
export { createHierarchySession, getHierarchySession } from './rooms/hierarchy-session-store.ts';
export type { UserDirectoryEntry, UserDirectoryResult, UserDirectorySearch } from './rooms/user-directory-queries.ts';
export { searchUserDirectory } from './rooms/user-directory-queries.ts';
export type { EventReport, RoomReport, UserReport } from './rooms/report-store.ts';
export { insertEventReport, insertRoomReport, insertUserReport } from './rooms/report-store.ts';
// --- CS-sync: ephemeral and per-user streams read by /sync (src/sync/) ------------------
export type { PositionWindow, StreamRange, StreamRow } from './sync/stream-range.ts';
export type { TypingRecord, TypingRow } from './sync/typing-store.ts';
export { fetchTypingSince, insertTypingRow, latestTypingForRooms, pruneTyping } from './sync/typing-store.ts';
export type { ReceiptRecord, ReceiptRow } from './sync/receipt-store.ts';
export { fetchReceiptsSince, receiptsForRooms, upsertReceipt } from './sync/receipt-store.ts';
export type { PresenceRecord, PresenceRow } from './sync/presence-store.ts';
export { fetchPresenceSince, getPresence, presenceForUsers, upsertPresence } from './sync/presence-store.ts';
export type { ToDeviceRecord, ToDeviceRow } from './sync/device-inbox-store.ts';
export { claimToDeviceTxn, deleteToDevice, fetchToDeviceSince, insertToDevice, toDeviceForDevice } from './sync/device-inbox-store.ts';
export type { DeviceListRow } from './sync/device-list-store.ts';
export {
  deviceListChangeBefore,
  fetchDeviceListChangesSince,
  insertDeviceListChange,
  queueDeviceListChange,
  takeQueuedDeviceListChanges,
  usersLeftBetween,
  usersWithDeviceChanges,
} from './sync/device-list-store.ts';
export type { RemoteDevice, RemoteDeviceListState } from './sync/remote-device-store.ts';
export {
  applyRemoteDeviceUpdate,
  cachedRemoteDevices,
  cachedRemoteUsersInRoom,
  forgetRemoteDeviceList,
  markRemoteDeviceListStale,
  remoteDeviceListState,
  replaceRemoteDeviceList,
  sharesRoomWithServer,
  staleRemoteDeviceListUsers,
} from './sync/remote-device-store.ts';
export type { DeviceKeyStatus, KeyJson, OneTimeKey } from './sync/e2e-key-store.ts';
export {
  addOneTimeKeys,
  claimKey,
  countOneTimeKeys,
  deviceDisplayNames,
  deviceKeyStatus,
  knownDeviceIds,
  queryDeviceKeys,
  setFallbackKeys,
  upsertDeviceKeys,
} from './sync/e2e-key-store.ts';
export type { CrossSigningKeyType, CrossSigningSignature, StoredCrossSigningKey } from './sync/cross-signing-store.ts';
export { getCrossSigningKey, getCrossSigningKeys, insertCrossSigningSignatures, ownerSignatures, setCrossSigningKey, signaturesBy, withSignatures } from './sync/cross-signing-store.ts';
export type { BackupVersionRow, OpaqueBackupData, RoomKeyRow, RoomKeySelection } from './sync/room-key-backup-store.ts';
export {
  backupVersionEverExisted,
  countRoomKeys,
  createBackupVersion,
  currentBackupVersion,
  deleteBackupVersion,
  deleteRoomKeys,
  getBackupVersion,
  getRoomKeys,
  getRoomKeysOfRooms,
  lockUserBackups,
  setBackupEtag,
  updateBackupAuthData,
  upsertRoomKey,
} from './sync/room-key-backup-store.ts';
export type { PushActionRow, UnreadCounts } from './sync/push-action-store.ts';
export { insertPushActions, unreadCountsForRooms } from './sync/push-action-store.ts';
export { refreshPushSummaries } from './sync/push-summary-store.ts';
export type { NotificationRow, NotificationsOptions } from './sync/notification-queries.ts';
export { getNotifications } from './sync/notification-queries.ts';
export { pushRulesContentOf } from './sync/push-rules-reads.ts';
export type { MembershipAt, MembershipChange } from './sync/membership-queries.ts';
export {
  currentMembership,
  eventLocation,
  joinedMembers,
  joinedRoomIds,
  membershipChanges,
  membershipsAt,
  usersJoinedBetween,
  usersSharingRooms,
} from './sync/membership-queries.ts';
export type { SyncWindow, SyncWindowOptions } from './sync/sync-window.ts';
export { syncWindow, syncWindows } from './sync/sync-window.ts';
export type { EventTxn, LatestPage, LatestPagesOptions } from './sync/sync-batch-reads.ts';
export { latestRoomPages, roomVersionsOf, stateGroupsEntries } from './sync/sync-batch-reads.ts';

// --- Accounts (CS-accounts): libs/storage/src/accounts, migrations 1100-1199 --------------
export type { NewUser, ProfileRow, UserRow } from './accounts/user-store.ts';
export {
  findUserCaseInsensitive,
  getProfile,
  getUser,
  insertUser,
  markUserDeactivated,
  setPasswordHash,
  setUserAdmin,
  updateProfile,
  upgradeGuestUser,
} from './accounts/user-store.ts';
export type { DeviceRow } from './accounts/device-store.ts';
export { deleteDevices, getDevice, listDevices, renameDevice, touchDevice, upsertDevice } from './accounts/device-store.ts';
export type { AccessTokenInfo, RefreshTokenInfo } from './accounts/token-store.ts';
export {
  deleteAccessToken,
  deleteUserTokens,
  insertAccessToken,
  insertRefreshToken,
  listenToAccessTokenChanges,
  lookupAccessToken,
  lookupAccessTokens,
  lookupRefreshToken,
  markAccessTokenUsed,
  replaceRefreshToken,
  setAccessTokenExpiry,
} from './accounts/token-store.ts';
export type { UiaSessionRow } from './accounts/uia-store.ts';
export { completeUiaStage, deleteUiaSession, getUiaSession, insertUiaSession, pruneUiaSessions, setUiaClientDict, setUiaRegisteredUser } from './accounts/uia-store.ts';
export { getFilter, insertFilter } from './accounts/filter-store.ts';
export type { AccountDataRecord, AccountDataRow } from './accounts/account-data-store.ts';
export { insertOpenIdToken, pruneOpenIdTokens, userIdForOpenIdToken } from './accounts/openid-token-store.ts';
export {
  ACCOUNT_DATA_STREAM,
  accountDataForUser,
  deleteAccountDataOfUser,
  fetchAccountDataSince,
  getAccountData,
  upsertAccountData,
} from './accounts/account-data-store.ts';

// --- Cluster membership and sharded stream consumers: src/cluster, src/streams, migrations 1340-1359
export type { InstanceRow } from './cluster/instance-store.ts';
export { listInstances, recordInstancesSeen, recordInstanceStart, recordInstanceStopped } from './cluster/instance-store.ts';
export type { HeldShardLease, ShardLeaseKey } from './streams/consumer-lease-store.ts';
export { holdsShardLease, listShardLeases, releaseShardLease, renewShardLeases, takeShardLease } from './streams/consumer-lease-store.ts';

// --- Pushers (pusher role): pushers and the outbox of notifications owed to them ---------
export type { AppserviceOutboxItem, AppserviceTransaction } from './appservice/appservice-store.ts';
export {
  appserviceRoomListing,
  appservicesOwed,
  completeAppserviceTransaction,
  enqueueForAppservice,
  nextAppserviceTransaction,
  roomsAudience,
  setAppserviceRoomListing,
} from './appservice/appservice-store.ts';
export type { BadgeCounts, NewPusher, OwedPush, PushOutboxInsert, PushOutboxRow, PusherRow } from './push/pusher-store.ts';
export {
  badgeCounts,
  deletePusher,
  deletePushersOfOtherUsers,
  enqueuePushes,
  markPushesSent,
  markPusherOutcome,
  pendingPushes,
  pruneSentPushes,
  pusherById,
  pushersOfUser,
  pushersOfUsers,
  pushRulesAndPushersOf,
  pushersWithPendingPushes,
  pushesOwedForEvents,
  upsertPusher,
  usersWithPushersIn,
} from './push/pusher-store.ts';

// --- Federation sender (federation-sender role): src/federation, migrations 1840-1859 -------
export type { ClaimedTxn, ClaimTxnOptions, DestinationOrder, DestinationRetry, DestinationSummary, ListDestinationsOptions, OutboxEdu, OutboxPdu } from './federation/federation-outbox-store.ts';
export {
  claimFederationTxn,
  completeFederationTxn,
  DESTINATION_ORDERS,
  destinationsWithQueuedWork,
  enqueueFederationEdus,
  enqueueFederationPdus,
  getDestinationRetry,
  listDestinations,
  recordFederationFailure,
  resetFederationRetry,
} from './federation/federation-outbox-store.ts';
export type { EventAt } from './federation/destination-queries.ts';
export { previousTypingUsers, roomsWithRemoteMembers, serversJoinedBeforeEvents, serversJoinedToRooms, serversSharingRoomsWith } from './federation/destination-queries.ts';

// --- Media repository (media role): libs/storage/src/media, migrations 1400-1449 -----------
export type { LocalMediaRow, NewLocalMedia, RemoteMediaRow, ThumbnailRow, UserMediaPage } from './media/media-store.ts';
export {
  completePendingMedia,
  countPendingMedia,
  deleteLocalMedia,
  deleteRemoteMedia,
  expiredPendingMedia,
  getLocalMedia,
  getThumbnails,
  insertLocalMedia,
  insertPendingMedia,
  insertThumbnail,
  listUserMedia,
  localMediaBefore,
  localMediaOfUser,
  mxcUrisInRoom,
  quarantineLocalMedia,
  quarantineRemoteMedia,
  setMediaSafeFromQuarantine,
  staleLocalMedia,
  staleRemoteMedia,
  touchLocalMedia,
} from './media/media-store.ts';

// --- Admin API (issue 13): libs/storage/src/admin, migrations 1500-1549 ----------------------
export type { AdminUserRow, ListUsersOptions, RatelimitOverride, UserOrder } from './admin/admin-user-queries.ts';
export {
  USER_ORDER_COLUMNS,
  getRatelimitOverride,
  getUserForAdmin,
  listRatelimitOverrides,
  listUsersForAdmin,
  setRatelimitOverride,
  setUserErased,
  setUserFlags,
  userExists,
} from './admin/admin-user-queries.ts';
export type { AdminRoomRow, ListRoomsOptions, RoomOrder } from './admin/admin-room-queries.ts';
export { ROOM_ORDERS, blockRoom, countDevicesOfUsers, getRoomForAdmin, isRoomForgottenByAll, listRoomsForAdmin, roomBlockedBy, unblockRoom } from './admin/admin-room-queries.ts';
export type { AdminTask, AdminTaskStatus } from './admin/admin-task-store.ts';
export { failInterruptedAdminTasks, getAdminTask, getAdminTasksFor, insertAdminTask, updateAdminTask } from './admin/admin-task-store.ts';
export { purgeRoomData } from './admin/purge-room.ts';
export type { PurgeHistoryOptions, PurgeHistoryResult } from './admin/purge-history.ts';
export { purgeRoomHistory } from './admin/purge-history.ts';
export type { RegistrationToken } from './admin/registration-token-store.ts';
export {
  completeRegistrationToken,
  deleteRegistrationToken,
  getRegistrationToken,
  insertRegistrationToken,
  isRegistrationTokenValid,
  listRegistrationTokens,
  reserveRegistrationToken,
  updateRegistrationToken,
} from './admin/registration-token-store.ts';
export type { AdminEventReport, ListEventReportsOptions } from './admin/event-report-queries.ts';
export { deleteEventReport, getEventReport, listEventReports } from './admin/event-report-queries.ts';

// --- Other servers' signing keys (federation core): migrations 1800-1819 --------------------
export type { ServerKeyResponseInput, StoredKeyResponse, StoredServerKey } from './federation/server-key-store.ts';
export { getServerKey, getServerKeyResponses, storeServerKeyResponse } from './federation/server-key-store.ts';

// --- Inbound federation (federation-reader): received transactions, DAG walks, migration 1820 ---
export type { MissingEventsQuery } from './federation/inbound-store.ts';
export {
  getBackfillEvents,
  getForwardExtremities,
  getInboundTxnResponse,
  getJoinedServers,
  getMissingEvents,
  getServableEvents,
  pruneInboundTxns,
  recordInboundTxn,
} from './federation/inbound-store.ts';
