// The messages of the room persister actor (kind `room`, key = room ID), hosted by the
// event-persister role. Callers use RoomClient (room-client.ts), never these directly.
//
// Sending is two asks so the actor can group-commit: `stage` builds, authorizes and queues the
// events in the actor's in-memory view and returns at once; `commit` waits until the batch
// holding them is durable. While one batch's transaction runs, every event staged meanwhile
// joins the next batch, so N concurrent sends to a room cost far fewer than N transactions.
import type { JsonObject } from '@homeserver/matrix';

export const ROOM_ACTOR_KIND = 'room';
export const EVENTS_STREAM = 'events';

/** An event a local user (or the server on their behalf) wants in a room. */
export interface EventTemplate {
  readonly type: string;
  /** undefined for message events. */
  readonly stateKey?: string;
  readonly content: JsonObject;
  readonly sender: string;
  /** For m.room.redaction. */
  readonly redacts?: string;
  /** Client transaction ID: resending the same (room, sender, device, txnId) returns the first event. */
  readonly txnId?: string;
  readonly deviceId?: string;
}

/** A domain failure, rendered by the endpoint as `{errcode, error}` with `status`. */
export interface RoomFailure {
  readonly ok: false;
  readonly errcode: string;
  readonly error: string;
  readonly status: number;
}

export interface CreateRoomSpec {
  /** The finished create PDU (built by the caller, since in v12 it defines the room ID). */
  readonly createPdu: JsonObject;
  readonly roomVersion: string;
  readonly creator: string;
  /** Publish in the room directory. */
  readonly isPublic: boolean;
}

export interface StageRequest {
  /** Built and authorized in order; all or nothing. */
  readonly events: readonly EventTemplate[];
  /** Set to create the room: the create event is staged before `events`. */
  readonly create?: CreateRoomSpec;
}

export interface StagedEvent {
  readonly eventId: string;
  /** Set when the event was already persisted earlier (a repeated transaction ID). */
  readonly position?: number;
}

export type StageReply =
  | { readonly ok: true; readonly ticket: number | undefined; readonly events: readonly StagedEvent[] }
  | RoomFailure;

export type CommitReply =
  | { readonly ok: true; readonly positions: Readonly<Record<string, number>>; readonly position: number }
  | RoomFailure;

/** The handler surface of the room actor (what `stage`/`commit` take and return). */
export interface RoomProtocol {
  stage(message: StageRequest): Promise<StageReply> | StageReply;
  commit(message: { readonly ticket: number }): Promise<unknown>;
}
