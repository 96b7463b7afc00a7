/* eslint-disable @typescript-eslint/no-explicit-any -- sync bodies are deep JSON checked field by field */
// m.push_rules in /sync: stored as the user's changes only, served as the whole effective
// ruleset (server defaults merged), so clients that replace their rules with it keep the
// defaults. Every response is checked against the v1.19 spec (env.violations).
import { defaultPushRules } from '@homeserver/matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncEnv, type SyncEnv } from '../testing/sync-env.ts';

let env: SyncEnv;
beforeAll(async () => {
  env = await openSyncEnv();
});
afterAll(async () => {
  expect(env.violations).toEqual([]);
  await env.close();
});

describe('m.push_rules account data in /sync', () => {
  it('is in the initial sync of a user who never changed a rule, and not repeated incrementally', async () => {
    const user = '@fresh:test';
    const initial = (await env.sync(user)).body;
    const event = initial.account_data.events.find((e: any) => e.type === 'm.push_rules');
    expect(event.content.global).toEqual(JSON.parse(JSON.stringify(defaultPushRules(user))));
    await env.setAccountData(user, '', 'm.other', { n: 1 });
    const next = (await env.sync(user, { since: initial.next_batch, timeout: '10000' })).body;
    expect(next.account_data.events.map((e: any) => e.type)).toEqual(['m.other']);
  });

  it('carries the defaults merged with the user\'s rules and changes', async () => {
    const user = '@ruler:test';
    const since = (await env.sync(user)).body.next_batch;
    const own = { rule_id: '!muted:test', default: false, enabled: true, actions: [] };
    await env.setAccountData(user, '', 'm.push_rules', { global: { room: [own], underride: [{ rule_id: '.m.rule.message', default: true, enabled: false }] } });
    const { body } = await env.sync(user, { since, timeout: '10000' });
    const event = body.account_data.events.find((e: any) => e.type === 'm.push_rules');
    const global = event.content.global;
    const defaults = defaultPushRules(user);
    expect(global.room).toEqual([own]);
    expect(global.override.map((r: any) => r.rule_id)).toEqual(defaults.override.map((r) => r.rule_id));
    const message = global.underride.find((r: any) => r.rule_id === '.m.rule.message');
    expect(message).toEqual({ ...defaults.underride.find((r) => r.rule_id === '.m.rule.message'), enabled: false });
  });
});
