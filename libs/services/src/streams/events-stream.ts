// The `events` replication stream: written by the room persister actors (event-persister
// role), read by sync, pushers and federation senders. Rows come from the events table.
//
// Two views narrow it for the consumers that need few of its rows: the persister tags an event
// `federation` when another server may be owed it and `push` when it produced push actions for a
// user with a pusher (events.stream_views); the federation sender and the pusher follow only
// their view. A third, `leaves` (member events leaving or banning), is what the remote device
// list tracking of every sync process reads, rather than every event in a transaction.
import { fetchEventStreamRows, type EventStreamRow, type EventStreamView } from '@homeserver/storage';
import { defineStream, type StreamViewDefinition } from '@homeserver/streams';
import { EVENTS_STREAM } from '../rooms/room-protocol.ts';

const view = (name: EventStreamView): StreamViewDefinition<EventStreamRow> => ({ fetchSince: (db, range) => fetchEventStreamRows(db, range, name) });

export const eventsStream = defineStream<EventStreamRow>({
  name: EVENTS_STREAM,
  fetchSince: (db, range) => fetchEventStreamRows(db, range),
  views: { federation: view('federation'), push: view('push'), leaves: view('leaves') },
});
