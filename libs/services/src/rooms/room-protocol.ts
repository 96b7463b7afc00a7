// The room input: the messages of the room persister actor (kind `room`, key = room ID), hosted
// by the event-persister role. Callers use RoomClient (room-client.ts), never these directly.
//
// Two inputs, both through the same checks (hashes and signatures, auth against the event's
// auth events, against the state before it, soft-fail against the current state, state
// resolution when branches meet) and the same group commit:
// - `createLocalEvents`: build events from templates for an authenticated local requester
//   (client writes, room creation, the server acting for a user);
// - `ingest`: a PDU built elsewhere (federation, backfill, auth chains fetched on a join).
//
// Each ask is ONE round trip: the actor checks and queues the events, moves on to its next
// message, and answers when the transaction holding them has committed (a deferred reply),
// with the `events` stream position reached. Failures are typed results, never HTTP statuses;
// the HTTP edge maps them to Matrix errors.
import type { JsonObject } from '@homeserver/matrix';

export const ROOM_ACTOR_KIND = 'room';
export const EVENTS_STREAM = 'events';

/** An event a local user (or the server on their behalf) wants in a room. */
export interface EventTemplate {
  readonly type: string;
  /** undefined for message events. */
  readonly stateKey?: string;
  readonly content: JsonObject;
  /** Must be the requester's user ID. */
  readonly sender: string;
  /** For m.room.redaction. */
  readonly redacts?: string;
  /** Client transaction ID: resending the same (room, sender, device, txnId) returns the first event. */
  readonly txnId?: string;
  readonly deviceId?: string;
}

/** Who asked for a local write, as the edge authenticated them. */
export interface RoomRequester {
  readonly userId: string;
  readonly deviceId?: string;
}

/** Why a room input failed. The edge alone turns these into Matrix errors. */
export type RoomFailureKind =
  /** The auth rules (or a policy such as redaction power) refuse it. */
  | 'Forbidden'
  /** The room, or an event the input depends on, is not known here. */
  | 'NotFound'
  /** The room already exists (creation), or ownership of the room moved (retry elsewhere). */
  | 'Conflict'
  /** The room's owner cannot take input now (fenced, draining, database down); retry later. */
  | 'Unavailable'
  /** Malformed template or PDU, bad signature, wrong room. */
  | 'BadEvent'
  /** Larger than the spec's 65536 bytes. */
  | 'TooLarge'
  /** A room version this server does not support. */
  | 'UnsupportedRoomVersion';

export interface RoomFailure {
  readonly ok: false;
  readonly kind: RoomFailureKind;
  /** Says what was attempted and which value was wrong. */
  readonly reason: string;
}

export function roomFailure(kind: RoomFailureKind, reason: string): RoomFailure {
  return { ok: false, kind, reason };
}

export interface CreateRoomSpec {
  /** The finished create PDU (built by the caller, since in v12 it defines the room ID). */
  readonly createPdu: JsonObject;
  readonly roomVersion: string;
  readonly creator: string;
  /** Publish in the room directory. */
  readonly isPublic: boolean;
}

export interface CreateLocalEventsRequest {
  /** Built and authorized in order; all or nothing; committed in one transaction. */
  readonly templates: readonly EventTemplate[];
  readonly requester: RoomRequester;
  /** Set to create the room: the create event is persisted before `templates`. */
  readonly create?: CreateRoomSpec;
  /**
   * The sender looked the templates' transaction IDs up in PostgreSQL just before asking and
   * found none (RoomClient does, outside the room's mailbox): the actor checks only those it
   * holds (queued, committed by it, or recorded shortly before it took the room). Default:
   * false (the actor looks them up itself).
   */
  readonly txnsLookedUp?: boolean;
}

export interface LocalEventResult {
  readonly eventId: string;
  /** The event's `events` stream position. */
  readonly position: number;
}

export type CreateLocalEventsReply =
  | {
      readonly ok: true;
      readonly events: readonly LocalEventResult[];
      /** The highest position among `events`: what the edge waits for (read-your-writes). */
      readonly position: number;
      /** The `events` writer that allocated the positions. */
      readonly writer: string;
    }
  | RoomFailure;

/**
 * - `new`: an event at the tip of the room (federation /send), checked against current state;
 * - `outlier`: an event known only by ID from an auth chain or a state fetched during a join,
 *   stored without entering the timeline or the current state;
 * - `backfilled`: history older than what we have, stored behind the timeline.
 */
export type IngestKind = 'new' | 'outlier' | 'backfilled';

export interface IngestRequest {
  /** The PDU as received (federation format). */
  readonly pdu: JsonObject;
  /** The server that sent it to us (its signature is checked like the sender's). */
  readonly origin: string;
  readonly kind: IngestKind;
  /**
   * For a `new` PDU whose prev events are not stored here with their state: the IDs of the
   * room's state before it, as its sender gave it (/state_ids), every one already stored.
   * Default: none (such a PDU fails NotFound).
   */
  readonly stateBefore?: readonly string[];
}

/**
 * What happened to an ingested event:
 * - `accepted`: stored and, for `new`, in the timeline and current state;
 * - `soft_failed`: passes its auth events and the state before it but not the current state:
 *   stored, never in timelines, not a forward extremity;
 * - `rejected`: fails its auth events or the state before it: stored for the DAG, never served;
 * - `duplicate`: already stored; nothing changed.
 */
export type IngestOutcome = 'accepted' | 'soft_failed' | 'rejected' | 'duplicate';

export type IngestReply =
  | {
      readonly ok: true;
      readonly eventId: string;
      readonly outcome: IngestOutcome;
      /** Why it was rejected or soft-failed. */
      readonly reason?: string;
      /** The content hash did not match: the redacted form was stored instead, as the spec says. */
      readonly redacted: boolean;
      /** The `events` stream position reached (the event's, for an accepted `new`). */
      readonly position: number;
      readonly writer: string;
    }
  | RoomFailure;

/**
 * A room joined through another server (make_join, then send_join): the resident server's
 * answer, persisted in one transaction. The state and auth chain are checked (signatures,
 * content hashes, auth against their own auth events) and stored as outliers; the join must be
 * allowed by that state, and becomes the room's only forward extremity, with the state plus
 * itself as the current state. Also used to rejoin a room this server left.
 */
export interface JoinRemoteRoomRequest {
  /** The room version make_join named. */
  readonly roomVersion: string;
  /** Our signed join event (as the resident server returned it when it added its signature). */
  readonly join: JsonObject;
  /** send_join's `state`: the room's state before the join. */
  readonly state: readonly JsonObject[];
  /** send_join's `auth_chain`: the auth events of the state and the join, recursively. */
  readonly authChain: readonly JsonObject[];
  /** The resident server that answered send_join. */
  readonly origin: string;
}

export type JoinRemoteRoomReply =
  | {
      readonly ok: true;
      readonly eventId: string;
      /** The join's `events` stream position. */
      readonly position: number;
      readonly writer: string;
      /** State and auth chain events newly stored (outliers), and how many of them failed auth. */
      readonly stored: number;
      readonly rejected: number;
    }
  | RoomFailure;

/**
 * An invite of a local user sent by another server (federation `invite`), already signed by
 * this server. When the room is held here it is ingested at the tip like any PDU; otherwise it
 * is stored out of band (an outlier, with the membership and an `events` stream position so the
 * invitee's /sync shows it), as Synapse does, until the user joins or rejects it.
 */
export interface ReceiveInviteRequest {
  readonly pdu: JsonObject;
  /** The inviting server. */
  readonly origin: string;
  /** The room version the inviting server named (the room may be unknown here). */
  readonly roomVersion: string;
  /** Stripped state the inviting server sent, stored in the event's `unsigned.invite_room_state`. */
  readonly inviteRoomState?: readonly JsonObject[];
}

/**
 * Our leave of a room not joined here (an invite rejected, a knock withdrawn), already accepted
 * by a resident server (send_leave). Ingested at the tip when the room is held and its prev
 * events known; else stored out of band (an outlier with the user's membership and an `events`
 * position) so the user's /sync moves the room from invite to leave.
 */
export interface RemoteLeaveRequest {
  readonly pdu: JsonObject;
  readonly roomVersion: string;
  /** The resident server that accepted it. */
  readonly origin: string;
}

/**
 * Purge the room's history below a depth (admin purge_history): run by the room's owner after
 * what it has queued commits, under its ownership fence, so it never races a send.
 */
export interface PurgeHistoryRequest {
  /** Events with a lower depth are purged (those of the purge point's depth stay). */
  readonly beforeDepth: number;
  /** Delete this server's own non-state events too (else they are kept, out of the timeline). */
  readonly deleteLocalEvents: boolean;
}

export type PurgeHistoryReply =
  | {
      readonly ok: true;
      /** Events deleted. */
      readonly deleted: number;
      /** Older events kept (state, local), now out of the timeline. */
      readonly keptAsOutliers: number;
    }
  | RoomFailure;

/** The handler surface of the room actor. */
export interface RoomProtocol {
  createLocalEvents(message: CreateLocalEventsRequest): unknown;
  ingest(message: IngestRequest): unknown;
  joinRemoteRoom(message: JoinRemoteRoomRequest): unknown;
  receiveInvite(message: ReceiveInviteRequest): unknown;
  recordRemoteLeave(message: RemoteLeaveRequest): unknown;
  purgeHistory(message: PurgeHistoryRequest): unknown;
}
