// The visibility rules themselves (pure): each history_visibility value against the reader's
// membership at the event, now and later; the visibility event's own two sides; own membership.
import { describe, expect, it } from 'vitest';
import { historyVisibilityOf, isEventVisible, visibleEvents, type MembershipPoint, type VisibilityContext } from './history-visibility.ts';

const BOB = '@bob:test';
const message = (streamOrdering: number) => ({ type: 'm.room.message', streamOrdering });

/** Bob invited at 20, joined at 30, left at 40 (when `left`), in a room set to `value` at 5. */
function context(value: string, options: { left?: boolean; history?: MembershipPoint[] } = {}): VisibilityContext {
  const history = options.history ?? [
    { membership: 'invite', streamOrdering: 20 },
    { membership: 'join', streamOrdering: 30 },
    ...(options.left ? [{ membership: 'leave', streamOrdering: 40 }] : []),
  ];
  return { userId: BOB, history, changes: [{ position: 5, value }] };
}

/** Which of the messages at 10 (before invite), 25 (invited), 35 (joined), 45 (after leave) Bob sees. */
function seen(ctx: VisibilityContext): number[] {
  return visibleEvents([10, 25, 35, 45].map(message), ctx).map((e) => e.streamOrdering);
}

describe('isEventVisible', () => {
  it('applies each value to a member who is joined now', () => {
    expect(seen(context('world_readable'))).toEqual([10, 25, 35, 45]);
    expect(seen(context('shared'))).toEqual([10, 25, 35, 45]);
    expect(seen(context('invited'))).toEqual([25, 35, 45]);
    expect(seen(context('joined'))).toEqual([35, 45]);
  });

  it('applies each value to a former member: nothing after the leave but world_readable', () => {
    expect(seen(context('world_readable', { left: true }))).toEqual([10, 25, 35, 45]);
    expect(seen(context('shared', { left: true }))).toEqual([10, 25, 35]);
    expect(seen(context('invited', { left: true }))).toEqual([25, 35]);
    expect(seen(context('joined', { left: true }))).toEqual([35]);
  });

  it('shows shared history to nobody who never joined, and only world_readable to strangers', () => {
    const invitedOnly = context('shared', { history: [{ membership: 'invite', streamOrdering: 20 }] });
    expect(seen(invitedOnly)).toEqual([]);
    expect(seen(context('invited', { history: [{ membership: 'invite', streamOrdering: 20 }] }))).toEqual([25, 35, 45]);
    expect(seen(context('shared', { history: [] }))).toEqual([]);
    expect(seen(context('world_readable', { history: [] }))).toEqual([10, 25, 35, 45]);
  });

  it('uses the value in force before each event, defaulting to shared', () => {
    const ctx: VisibilityContext = {
      userId: BOB,
      history: [{ membership: 'join', streamOrdering: 30 }],
      changes: [{ position: 15, value: 'joined' }, { position: 50, value: 'shared' }],
    };
    expect(visibleEvents([10, 20, 35, 55].map(message), ctx).map((e) => e.streamOrdering)).toEqual([10, 35, 55]);
  });

  it('always shows the reader their own membership events, and nobody else\'s from hidden times', () => {
    const ctx = context('joined', { left: true });
    expect(isEventVisible({ type: 'm.room.member', stateKey: BOB, streamOrdering: 20 }, ctx)).toBe(true);
    expect(isEventVisible({ type: 'm.room.member', stateKey: BOB, streamOrdering: 40 }, ctx)).toBe(true);
    expect(isEventVisible({ type: 'm.room.member', stateKey: '@carol:test', streamOrdering: 25 }, ctx)).toBe(false);
    expect(isEventVisible({ type: 'm.room.member', stateKey: '@carol:test', streamOrdering: 35 }, ctx)).toBe(true);
  });

  it('shows a visibility event when the value before or after it allows', () => {
    const ctx: VisibilityContext = {
      userId: BOB,
      history: [{ membership: 'join', streamOrdering: 30 }],
      changes: [{ position: 10, value: 'joined' }, { position: 20, value: 'world_readable' }, { position: 25, value: 'joined' }],
    };
    const hv = (streamOrdering: number) => ({ type: 'm.room.history_visibility', stateKey: '', streamOrdering });
    expect(isEventVisible(hv(10), ctx)).toBe(true); // shared (default) before it
    expect(isEventVisible(hv(20), ctx)).toBe(true); // world_readable after it
    expect(isEventVisible(hv(25), ctx)).toBe(true); // world_readable before it
    expect(isEventVisible(message(22), ctx)).toBe(true);
    expect(isEventVisible(message(27), ctx)).toBe(false);
    // A state event of another type at the same position gets no such allowance.
    expect(isEventVisible({ type: 'm.room.topic', stateKey: '', streamOrdering: 27 }, ctx)).toBe(false);
  });
});

describe('historyVisibilityOf', () => {
  it('reads the value, and counts unknown or missing values as shared', () => {
    expect(historyVisibilityOf({ history_visibility: 'joined' })).toBe('joined');
    expect(historyVisibilityOf({ history_visibility: 'everyone' })).toBe('shared');
    expect(historyVisibilityOf({})).toBe('shared');
    expect(historyVisibilityOf(undefined)).toBe('shared');
  });
});
