// The `events` replication stream: written by the room persister actors (event-persister
// role), read by sync, pushers and federation senders. Rows come from the events table.
import { fetchEventStreamRows, type EventStreamRow } from '@homeserver/storage';
import { defineStream } from '@homeserver/streams';
import { EVENTS_STREAM } from '../rooms/room-protocol.ts';

export const eventsStream = defineStream<EventStreamRow>({ name: EVENTS_STREAM, fetchSince: fetchEventStreamRows });
