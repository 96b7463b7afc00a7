// Reads of the room DAG by another server: /event, /state, /state_ids, /event_auth, /backfill,
// /get_missing_events and /timestamp_to_event, with the checks on who may read what.
import type { JsonObject } from '@homeserver/matrix';
import { setUserErased } from '@homeserver/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, openFedTestEnv, OTHER, ROB, type FedTestEnv } from '../testing/fed-test-env.ts';

let env: FedTestEnv;
beforeAll(async () => {
  env = await openFedTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const enc = encodeURIComponent;

/** A room where rob of remote.test has joined and alice sent `messages` messages; returns their IDs. */
async function roomWithHistory(messages: number, historyVisibility = 'shared') {
  const roomId = await env.createRoom({ historyVisibility });
  const join = await env.remoteEvent(roomId, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  const ingested = await env.rooms.ingest(roomId, { pdu: join.pdu, origin: 'remote.test', kind: 'new' });
  expect(ingested.ok && ingested.outcome).toBe('accepted');
  const ids: string[] = [];
  for (let i = 0; i < messages; i++) {
    const sent = await env.rooms.sendEvent(roomId, { type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: `m${i}` } });
    if (!sent.ok) throw new Error(sent.reason);
    ids.push(sent.eventId);
  }
  return { roomId, join: join.eventId, ids };
}

describe('federation event reads', () => {
  it('refuses unsigned requests with 401', async () => {
    const { roomId, ids } = await roomWithHistory(1);
    const answer = await env.call('GET', `/_matrix/federation/v1/event/${enc(ids[0]!)}`, undefined, { unsigned: true });
    expect(answer.status).toBe(401);
    expect((await env.call('GET', `/_matrix/federation/v1/state_ids/${enc(roomId)}?event_id=${enc(ids[0]!)}`, undefined, { unsigned: true })).status).toBe(401);
  });

  it('serves one event to a server in the room, without unsigned data', async () => {
    const { ids } = await roomWithHistory(1);
    const answer = await env.call('GET', `/_matrix/federation/v1/event/${enc(ids[0]!)}`);
    expect(answer.status).toBe(200);
    const pdu = (answer.body['pdus'] as JsonObject[])[0]!;
    expect(pdu).toMatchObject({ type: 'm.room.message', content: { body: 'm0' } });
    expect(pdu['unsigned']).toBeUndefined();
    expect((await env.call('GET', `/_matrix/federation/v1/event/${enc(`$${'x'.repeat(43)}`)}`)).status).toBe(404);
  });

  it('serves the events of an erased user redacted, to /event and /backfill alike (Synapse)', async () => {
    const { roomId, ids } = await roomWithHistory(1);
    await setUserErased(env.db, ALICE, true);
    try {
      const one = await env.call('GET', `/_matrix/federation/v1/event/${enc(ids[0]!)}`);
      expect((one.body['pdus'] as JsonObject[])[0]!['content']).toEqual({});
      const back = await env.call('GET', `/_matrix/federation/v1/backfill/${enc(roomId)}?v=${enc(ids[0]!)}&limit=1`);
      expect((back.body['pdus'] as JsonObject[])[0]!['content']).toEqual({});
    } finally {
      await setUserErased(env.db, ALICE, false);
    }
  });

  it('hides events of a joined-only room from a server with no member in it', async () => {
    const { roomId, ids } = await roomWithHistory(1, 'joined');
    expect((await env.call('GET', `/_matrix/federation/v1/event/${enc(ids[0]!)}`, undefined, { origin: OTHER })).status).toBe(403);
    expect((await env.call('GET', `/_matrix/federation/v1/state_ids/${enc(roomId)}?event_id=${enc(ids[0]!)}`, undefined, { origin: OTHER })).status).toBe(403);
    expect((await env.call('GET', `/_matrix/federation/v1/backfill/${enc(roomId)}?v=${enc(ids[0]!)}&limit=5`, undefined, { origin: OTHER })).status).toBe(403);
  });

  it('answers the state before an event, as IDs and in full, with its auth chain', async () => {
    const { roomId, join, ids } = await roomWithHistory(1);
    const state = await env.currentState(roomId);
    const answer = await env.call('GET', `/_matrix/federation/v1/state_ids/${enc(roomId)}?event_id=${enc(ids[0]!)}`);
    expect(answer.status).toBe(200);
    expect((answer.body['pdu_ids'] as string[]).sort()).toEqual([...state.values()].sort());
    expect(answer.body['pdu_ids']).toContain(join);
    const full = await env.call('GET', `/_matrix/federation/v1/state/${enc(roomId)}?event_id=${enc(ids[0]!)}`);
    expect((full.body['pdus'] as JsonObject[]).length).toBe(state.size);
    const chainTypes = new Set((full.body['auth_chain'] as JsonObject[]).map((e) => e['type']));
    expect(chainTypes.has('m.room.create')).toBe(true);
    expect((await env.call('GET', `/_matrix/federation/v1/state_ids/${enc(roomId)}`)).status).toBe(400);
    const auth = await env.call('GET', `/_matrix/federation/v1/event_auth/${enc(roomId)}/${enc(ids[0]!)}`);
    expect(auth.status).toBe(200);
    expect((auth.body['auth_chain'] as JsonObject[]).map((e) => e['type'])).toContain('m.room.power_levels');
  });

  it('answers 404 M_NOT_FOUND for the state at an outlier (stored without its state, as Synapse)', async () => {
    const { roomId } = await roomWithHistory(0);
    const outlier = await env.remoteEvent(roomId, { type: 'm.room.message', sender: ROB, content: { msgtype: 'm.text', body: 'fetched alone' } });
    const ingested = await env.rooms.ingest(roomId, { pdu: outlier.pdu, origin: 'remote.test', kind: 'outlier' });
    expect(ingested.ok && ingested.outcome).toBe('accepted');
    for (const path of ['state', 'state_ids']) {
      const answer = await env.call('GET', `/_matrix/federation/v1/${path}/${enc(roomId)}?event_id=${enc(outlier.eventId)}`);
      expect([answer.status, answer.body['errcode']]).toEqual([404, 'M_NOT_FOUND']);
    }
  });

  it('backfills from an event backwards, newest first, within the limit', async () => {
    const { roomId, ids } = await roomWithHistory(5);
    const answer = await env.call('GET', `/_matrix/federation/v1/backfill/${enc(roomId)}?v=${enc(ids[4]!)}&limit=3`);
    expect(answer.status).toBe(200);
    const got = (answer.body['pdus'] as JsonObject[]).map((e) => (e['content'] as JsonObject)['body']);
    expect(got).toEqual(['m4', 'm3', 'm2']);
    expect((await env.call('GET', `/_matrix/federation/v1/backfill/${enc(roomId)}?v=${enc(ids[4]!)}&limit=x`)).status).toBe(400);
  });

  it('serves the events missing between what a server has and what it saw, oldest first', async () => {
    const { roomId, ids } = await roomWithHistory(5);
    const answer = await env.call('POST', `/_matrix/federation/v1/get_missing_events/${enc(roomId)}`, { earliest_events: [ids[0]], latest_events: [ids[4]], limit: 10 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((answer.body['events'] as JsonObject[]).map((e) => (e['content'] as JsonObject)['body'])).toEqual(['m1', 'm2', 'm3']);
    // Synapse reads absent lists as empty: nothing is missing between nothing and nothing.
    const empty = await env.call('POST', `/_matrix/federation/v1/get_missing_events/${enc(roomId)}`, {});
    expect([empty.status, empty.body]).toEqual([200, { events: [] }]);
  });

  it('finds the event nearest a timestamp', async () => {
    const { roomId } = await roomWithHistory(2);
    const answer = await env.call('GET', `/_matrix/federation/v1/timestamp_to_event/${enc(roomId)}?ts=0&dir=f`);
    expect(answer.status).toBe(200);
    expect(answer.body['event_id']).toMatch(/^\$/);
    expect((await env.call('GET', `/_matrix/federation/v1/timestamp_to_event/${enc(roomId)}?ts=0&dir=x`)).status).toBe(400);
  });

  it('answers /version without a signature', async () => {
    const answer = await env.call('GET', '/_matrix/federation/v1/version', undefined, { unsigned: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ server: { name: 'homeserver-ts', version: 'test' } });
  });
});
