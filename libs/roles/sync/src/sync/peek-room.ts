// One room's news for a user reading it through GET /events?room_id= (Synapse's event stream
// peek): the room's new timeline events, its typing and receipts, and the presence of its
// joined members, in a window of the /sync token. A user who is not joined may read only a room
// whose history is world_readable (the timeline's history-visibility check decides per event).
import { forbidden } from '@homeserver/http';
import { getCurrentStateEvent, joinedMembers, presenceForUsers, type Database } from '@homeserver/storage';
import type { SyncFormatter } from './batched-formatter.ts';
import { joinedRoomSection } from './joined-room.ts';
import { presenceEvent } from './presence-events.ts';
import type { SyncCaches } from './sync-caches.ts';
import type { SyncFilter } from './sync-filter.ts';
import { inWindow, sqlWindow, type SyncToken } from './sync-token.ts';

type Json = Record<string, unknown>;

export interface PeekContext {
  readonly db: Database;
  readonly caches: SyncCaches;
  readonly formatter: SyncFormatter;
  readonly now: number;
  readonly encodePrevBatch: (eventsPosition: number) => string;
}

export interface PeekWindow {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly filter: SyncFilter;
  readonly since: SyncToken;
  readonly upTo: SyncToken;
}

export interface PeekedEvents {
  readonly timeline: Json[];
  readonly ephemeral: Json[];
  readonly presence: Json[];
}

/** 403 unless the user is joined to the room or its history is world_readable now. */
export async function assertPeekable(db: Database, userId: string, roomId: string): Promise<void> {
  const member = await getCurrentStateEvent(db, roomId, { type: 'm.room.member', stateKey: userId });
  if ((member?.pdu['content'] as Json | undefined)?.['membership'] === 'join') return;
  const visibility = await getCurrentStateEvent(db, roomId, { type: 'm.room.history_visibility', stateKey: '' });
  if ((visibility?.pdu['content'] as Json | undefined)?.['history_visibility'] === 'world_readable') return;
  throw forbidden(`user ${userId} is not in room ${roomId} and its history is not world_readable`);
}

/** The room's events of the window, ephemeral events included, and its members' presence. */
export async function peekRoomEvents(ctx: PeekContext, window: PeekWindow): Promise<PeekedEvents> {
  const { db } = ctx;
  const { roomId, since, upTo } = window;
  const section = await joinedRoomSection(
    {
      db,
      userId: window.userId,
      deviceId: window.deviceId,
      filter: window.filter,
      now: ctx.now,
      roomVersion: await ctx.caches.roomVersion(roomId),
      stateGroup: (group) => ctx.caches.stateGroup(group),
      timelinePage: (page) => ctx.caches.timelinePage(page),
      stateEvents: (entries) => ctx.caches.stateEvents(entries),
      visibilityChanges: (room) => ctx.caches.visibilityChanges(room),
      // Lazy-loading is not offered on this endpoint: nothing to remember per device.
      sentMembers: new Set(),
      encodePrevBatch: ctx.encodePrevBatch,
      formatter: ctx.formatter,
    },
    { roomId, since: since.events, sinceToken: since, upTo, fullState: false },
  );
  const presence: Json[] = [];
  const range = sqlWindow(since.presence, upTo.presence);
  if (range.floor < range.ceiling) {
    const members = await joinedMembers(db, roomId);
    for (const p of await presenceForUsers(db, members, range)) {
      if (inWindow(p.position, p.instanceName, since.presence, upTo.presence)) presence.push(presenceEvent(p, ctx.now));
    }
  }
  return { timeline: section.timeline.events, ephemeral: section.ephemeral.events, presence };
}
