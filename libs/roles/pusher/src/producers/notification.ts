// The bodies of POST /_matrix/push/v1/notify (push gateway API): a notification for an event,
// in the full or the `event_id_only` format, and the counts-only update a read receipt causes.
import type { BadgeCounts, PusherRow, StoredEvent } from '@homeserver/storage';

/** What a push's `devices[]` entry says of the pusher: pusher data without the URL (as Synapse sends it). */
function device(pusher: PusherRow, tweaks?: Record<string, unknown>): Record<string, unknown> {
  const { url: _url, ...data } = pusher.data;
  return {
    app_id: pusher.appId,
    pushkey: pusher.pushkey,
    pushkey_ts: Math.floor(pusher.pushkeyTs / 1000),
    data,
    ...(tweaks === undefined ? {} : { tweaks }),
  };
}

function counts(badge: BadgeCounts): Record<string, number> {
  return { unread: badge.unread, missed_calls: badge.missedCalls };
}

/** The `set_tweak` actions as a tweaks object; a tweak without a value is true (the spec's highlight rule). */
export function tweaksOf(actions: readonly unknown[]): Record<string, unknown> {
  const tweaks: Record<string, unknown> = {};
  for (const action of actions) {
    if (typeof action !== 'object' || action === null) continue;
    const tweak = (action as Record<string, unknown>)['set_tweak'];
    if (typeof tweak === 'string') tweaks[tweak] = (action as Record<string, unknown>)['value'] ?? true;
  }
  return tweaks;
}

export interface EventNotificationInput {
  readonly event: StoredEvent;
  readonly pusher: PusherRow;
  readonly actions: readonly unknown[];
  readonly counts: BadgeCounts;
  /** Room and sender names for the full format; absent ones are left out. */
  readonly senderDisplayName?: string | undefined;
  readonly roomName?: string | undefined;
  readonly roomAlias?: string | undefined;
}

export function eventNotification(input: EventNotificationInput): { notification: Record<string, unknown> } {
  const { event, pusher } = input;
  const tweaks = tweaksOf(input.actions);
  // High priority when the push makes a sound or highlights, or may (an encrypted event's
  // rules ran on ciphertext): the gateway may then wake the device.
  const prio = event.type === 'm.room.encrypted' || tweaks['sound'] !== undefined || tweaks['highlight'] === true ? 'high' : 'low';
  const devices = [device(pusher, tweaks)];
  if (pusher.data['format'] === 'event_id_only') {
    return { notification: { event_id: event.eventId, room_id: event.roomId, counts: counts(input.counts), prio, devices } };
  }
  const content = event.redactedBy === undefined ? (event.pdu['content'] as Record<string, unknown> | undefined) : undefined;
  const notification: Record<string, unknown> = {
    // `id`: the event ID under its pre-spec name, which Synapse still sends and gateways read.
    id: event.eventId,
    event_id: event.eventId,
    room_id: event.roomId,
    type: event.type,
    sender: event.sender,
    prio,
    counts: counts(input.counts),
    devices,
  };
  if (content !== undefined && Object.keys(content).length > 0) notification['content'] = content;
  if (input.senderDisplayName !== undefined) notification['sender_display_name'] = input.senderDisplayName;
  // A room without a name is named by its canonical alias (Synapse's room name for pushes).
  const roomName = input.roomName ?? input.roomAlias;
  if (roomName !== undefined) notification['room_name'] = roomName;
  if (input.roomAlias !== undefined) notification['room_alias'] = input.roomAlias;
  if (event.type === 'm.room.member' && event.stateKey !== undefined) {
    notification['user_is_target'] = event.stateKey === pusher.userId;
    if (typeof content?.['membership'] === 'string') notification['membership'] = content['membership'];
  }
  return { notification };
}

/** The counts-only update a read receipt sends: no event, only the new badge. */
export function badgeNotification(pusher: PusherRow, badge: BadgeCounts): { notification: Record<string, unknown> } {
  return { notification: { id: '', type: null, sender: '', counts: counts(badge), devices: [device(pusher)] } };
}
