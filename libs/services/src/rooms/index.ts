// @homeserver/services/rooms: the room persister's protocol (the room input) and the typed client
// every edge uses to ask it, plus the public fields a room shows in directories.
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
export { publicRoomFields } from './public-room-fields.ts';
