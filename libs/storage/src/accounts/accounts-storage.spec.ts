// Accounts storage on PGlite: users, devices, token rotation, UIA sessions, filters, account data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { openDatabase } from '../open-database.ts';
import { accountDataForUser, fetchAccountDataSince, getAccountData, upsertAccountData } from './account-data-store.ts';
import { deleteDevices, listDevices, renameDevice, upsertDevice } from './device-store.ts';
import { getFilter, insertFilter } from './filter-store.ts';
import {
  deleteUserTokens,
  insertAccessToken,
  insertRefreshToken,
  lookupAccessToken,
  lookupAccessTokens,
  lookupRefreshToken,
  markAccessTokenUsed,
  replaceRefreshToken,
} from './token-store.ts';
import { completeUiaStage, getUiaSession, insertUiaSession } from './uia-store.ts';
import { findUserCaseInsensitive, getProfile, insertUser, updateProfile } from './user-store.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
}, 120_000);
afterAll(async () => db.close());

describe('accounts storage', () => {
  it('creates users once and finds them case-insensitively', async () => {
    expect(await insertUser(db, { userId: '@alice:hs', passwordHash: 'h', createdTs: 1, displayname: 'alice' })).toBe(true);
    expect(await insertUser(db, { userId: '@alice:hs', passwordHash: 'h', createdTs: 1 })).toBe(false);
    expect((await findUserCaseInsensitive(db, '@ALICE:hs'))?.userId).toBe('@alice:hs');
    await updateProfile(db, '@alice:hs', { avatarUrl: 'mxc://hs/a' });
    expect(await getProfile(db, '@alice:hs')).toEqual({ displayname: 'alice', avatarUrl: 'mxc://hs/a' });
    await updateProfile(db, '@alice:hs', { displayname: null });
    expect(await getProfile(db, '@alice:hs')).toEqual({ displayname: null, avatarUrl: 'mxc://hs/a' });
    expect(await getProfile(db, '@nobody:hs')).toBeUndefined();
  });

  it('keeps devices, renames and deletes them with their tokens', async () => {
    expect(await upsertDevice(db, { userId: '@alice:hs', deviceId: 'D1', displayName: 'phone', createdTs: 5 })).toBe(true);
    expect(await upsertDevice(db, { userId: '@alice:hs', deviceId: 'D1', createdTs: 6 })).toBe(false);
    await upsertDevice(db, { userId: '@alice:hs', deviceId: 'D2', createdTs: 7 });
    expect(await renameDevice(db, '@alice:hs', 'D2', 'laptop')).toBe(true);
    expect(await renameDevice(db, '@alice:hs', 'D9', 'x')).toBe(false);
    expect((await listDevices(db, '@alice:hs')).map((d) => [d.deviceId, d.displayName])).toEqual([
      ['D1', 'phone'],
      ['D2', 'laptop'],
    ]);
    await insertAccessToken(db, { tokenHash: 't2', userId: '@alice:hs', deviceId: 'D2', validUntilMs: null, refreshTokenId: null, createdTs: 1 });
    expect(await deleteDevices(db, '@alice:hs', ['D2', 'D9'])).toEqual(['D2']);
    expect(await lookupAccessToken(db, 't2')).toBeUndefined();
  });

  it('rotates refresh tokens: the old pair dies when the new access token is used', async () => {
    const r1 = await insertRefreshToken(db, { tokenHash: 'r1', userId: '@alice:hs', deviceId: 'D1', createdTs: 1 });
    await insertAccessToken(db, { tokenHash: 'a1', userId: '@alice:hs', deviceId: 'D1', validUntilMs: 100, refreshTokenId: r1, createdTs: 1 });
    const r2 = await insertRefreshToken(db, { tokenHash: 'r2', userId: '@alice:hs', deviceId: 'D1', createdTs: 2 });
    const a2 = await insertAccessToken(db, { tokenHash: 'a2', userId: '@alice:hs', deviceId: 'D1', validUntilMs: 200, refreshTokenId: r2, createdTs: 2 });
    await replaceRefreshToken(db, r1, r2);
    expect(await lookupAccessToken(db, 'a1')).toBeUndefined();
    expect((await lookupRefreshToken(db, 'r1'))?.nextTokenId).toBe(r2);
    await markAccessTokenUsed(db, a2, r2);
    expect(await lookupRefreshToken(db, 'r1')).toBeUndefined();
    expect(await lookupAccessToken(db, 'a2')).toMatchObject({ userId: '@alice:hs', used: true, validUntilMs: 200 });
    await insertAccessToken(db, { tokenHash: 'a3', userId: '@alice:hs', deviceId: 'D3', validUntilMs: null, refreshTokenId: null, createdTs: 2 });
    await deleteUserTokens(db, '@alice:hs', { exceptDeviceId: 'D1' });
    expect(await lookupAccessToken(db, 'a3')).toBeUndefined();
    expect(await lookupAccessToken(db, 'a2')).toBeDefined();
  });

  it('looks several tokens up in one statement, each as a lookup of its own would', async () => {
    await insertUser(db, { userId: '@bob:hs', passwordHash: 'h', createdTs: 1 });
    await insertAccessToken(db, { tokenHash: 'b1', userId: '@bob:hs', deviceId: 'B1', validUntilMs: null, refreshTokenId: null, createdTs: 3 });
    const digests = ['a2', 'b1', 'gone', 'a3'];
    const batched = await lookupAccessTokens(db, digests);
    expect([...batched.keys()].sort()).toEqual(['a2', 'b1']);
    expect(batched.get('b1')).toMatchObject({ userId: '@bob:hs', deviceId: 'B1', used: false });
    for (const digest of digests) expect(batched.get(digest)).toEqual(await lookupAccessToken(db, digest));
  });

  it('records UIA stages once', async () => {
    await insertUiaSession(db, { sessionId: 's', createdTs: 1, uri: '/register', method: 'POST' });
    await completeUiaStage(db, 's', 'm.login.dummy');
    await completeUiaStage(db, 's', 'm.login.dummy', '@alice:hs');
    expect(await getUiaSession(db, 's')).toMatchObject({ completed: ['m.login.dummy'], userId: '@alice:hs' });
  });

  it('numbers filters per user and reuses identical ones', async () => {
    expect(await insertFilter(db, '@alice:hs', { room: { timeline: { limit: 1 } } })).toBe(0);
    expect(await insertFilter(db, '@alice:hs', { presence: { types: [] } })).toBe(1);
    expect(await insertFilter(db, '@alice:hs', { room: { timeline: { limit: 1 } } })).toBe(0);
    expect(await getFilter(db, '@alice:hs', 1)).toEqual({ presence: { types: [] } });
    expect(await getFilter(db, '@alice:hs', 7)).toBeUndefined();
  });

  it('moves account data rows to the position of their latest write', async () => {
    await upsertAccountData(db, 10, { userId: '@alice:hs', roomId: '', type: 'a', content: { v: 1 }, instanceName: 'main' });
    await upsertAccountData(db, 11, { userId: '@alice:hs', roomId: '!r:hs', type: 'm.tag', content: { tags: {} }, instanceName: 'main' });
    await upsertAccountData(db, 12, { userId: '@alice:hs', roomId: '', type: 'a', content: { v: 2 }, instanceName: 'main' });
    expect(await getAccountData(db, '@alice:hs', '', 'a')).toEqual({ v: 2 });
    expect(await fetchAccountDataSince(db, { writer: 'main', from: 10, to: 12, limit: 10 })).toEqual([
      { position: 11, data: { userId: '@alice:hs', roomId: '!r:hs', type: 'm.tag' } },
      { position: 12, data: { userId: '@alice:hs', roomId: '', type: 'a' } },
    ]);
    expect((await accountDataForUser(db, '@alice:hs', { floor: 11, ceiling: 99 })).map((r) => r.type)).toEqual(['a']);
  });
});
