// State resolution v1 (room v1): passes over power levels, join rules, members, then the rest.
import { describe, expect, it } from 'vitest';
import { ALICE, CHARLIE, DagRoom, EVELYN, ZARA } from './test-dag.ts';

const key = (type: string, stateKey = '') => `${type}|${stateKey}`;
const pad = (room: DagRoom, prefix: string, from: string, n: number): string => {
  let tip = from;
  for (let i = 0; i < n; i += 1) {
    const label = `${prefix}${i}`;
    room.add(label, { type: 'm.room.message', sender: ALICE, content: { body: label }, prev: [tip] });
    tip = label;
  }
  return tip;
};

describe('state resolution v1', () => {
  it('takes the shallower power levels first and stops at one its state does not allow', () => {
    const room = DagRoom.standard('1');
    room.add('PA', { type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [ALICE]: 100 }, state_default: 40 }, prev: ['IMZ'] });
    room.add('PC', { type: 'm.room.power_levels', sender: CHARLIE, stateKey: '', content: { users: { [ALICE]: 100, [CHARLIE]: 100 } }, prev: [pad(room, 'x', 'IMZ', 3)] });
    const state = room.labelled(room.resolve(['PA', 'PC']));
    expect(state[key('m.room.power_levels')]).toBe('PA');
  });

  it('applies a deeper power levels event that the shallower one allows', () => {
    const room = DagRoom.standard('1');
    room.add('PA', { type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [ALICE]: 100 }, state_default: 40 }, prev: ['IMZ'] });
    room.add('PB', { type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [ALICE]: 100 }, state_default: 30 }, prev: [pad(room, 'x', 'IMZ', 3)] });
    expect(room.labelled(room.resolve(['PA', 'PB']))[key('m.room.power_levels')]).toBe('PB');
  });

  it('resolves a membership conflict after join rules: a join racing invite-only is dropped', () => {
    const room = DagRoom.standard('1');
    room.add('JR', { type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 'invite' }, prev: ['IMZ'] });
    room.member('ME', EVELYN, EVELYN, 'join', [pad(room, 'x', 'IMZ', 2)]);
    // evelyn's membership: ME (join) on one side; the other side has none, so v1 sees no conflict.
    const state = room.labelled(room.resolve(['ME', 'JR']));
    expect(state[key('m.room.join_rules')]).toBe('JR');
    expect(state[key('m.room.member', EVELYN)]).toBe('ME');
  });

  it('picks the deepest ordinary event that passes auth', () => {
    const room = DagRoom.standard('1');
    room.add('T1', { type: 'm.room.topic', sender: ALICE, stateKey: '', content: { topic: 'a' }, prev: ['IMZ'] });
    room.add('T2', { type: 'm.room.topic', sender: ZARA, stateKey: '', content: { topic: 'z' }, prev: [pad(room, 'x', 'IMZ', 4)] });
    room.add('T3', { type: 'm.room.topic', sender: ALICE, stateKey: '', content: { topic: 'b' }, prev: [pad(room, 'y', 'IMZ', 2)] });
    const state = room.labelled(room.resolve(['T1', 'T2', 'T3']));
    expect(state[key('m.room.topic')]).toBe('T3');
  });

  it('falls back to the shallowest event when none passes', () => {
    const room = DagRoom.standard('1');
    room.add('T1', { type: 'm.room.topic', sender: ZARA, stateKey: '', content: { topic: 'a' }, prev: ['IMZ'] });
    room.add('T2', { type: 'm.room.topic', sender: CHARLIE, stateKey: '', content: { topic: 'z' }, prev: [pad(room, 'x', 'IMZ', 4)] });
    expect(room.labelled(room.resolve(['T1', 'T2']))[key('m.room.topic')]).toBe('T1');
  });
});
