// Computes, for a batch of new events, what each joined member's push rules say about them
// (libs/matrix's evaluator) and stores notifying outcomes in event_push_actions, which
// unread_notifications counts after the member's read receipt and the pusher role pushes.
// Idempotent per (user, event): the sync role's events reader and the pusher role's consumer
// both run it on what they read (each needs the rows before it acts), and computing the same
// rows twice is harmless. Shared here because roles never import each other.
import { evaluatePushRules, withDefaultRules, type JsonObject, type PushRule, type PushRuleKind } from '@homeserver/matrix';
import { getCurrentStateEvent, getEvents, getRoomMembers, insertPushActions, pushRulesContentOf, type Queryable, type EventStreamRow, type PushActionRow, type StoredEvent } from '@homeserver/storage';
import { BoundedCache } from './bounded-cache.ts';
import type { StreamRecord } from '@homeserver/streams';

/** A user's own push rules (the `global` ruleset of their m.push_rules account data). */
export type OwnPushRules = Partial<Record<PushRuleKind, readonly PushRule[]>>;

/** The own push rules of each of these users (CS-accounts' account data); a user absent has the defaults only. */
export type PushRulesOf = (userIds: readonly string[], via?: Queryable) => Promise<ReadonlyMap<string, OwnPushRules>>;

export interface PushActionsOptions {
  /** Default: every user has the default rules. */
  readonly pushRulesOf?: PushRulesOf;
}

/**
 * The hook: stores the push actions of a batch of events. `via` runs its statements in a caller's
 * transaction (a durable consumer's delivery) instead of on `db`; `only` limits the work to
 * these users (a pusher shard's users with pushers).
 */
export function pushActionsHook(
  db: Queryable,
  options: PushActionsOptions = {},
): (records: readonly StreamRecord<EventStreamRow>[], via?: Queryable, only?: ReadonlySet<string>) => Promise<void> {
  // A room's members and power levels, kept across batches while its events keep the same
  // state before them (any state change, a state reset included, makes a new state group):
  // a quiet room's messages then cost no reads of them at all. Bounded by members held.
  const known = new BoundedCache<string, { group: number; context: RoomContext }>(100_000, (entry) => entry.context.members.length);
  return async (records, via, only) => {
    const q = via ?? db;
    const events = await getEvents(q, records.map((r) => r.data.eventId));
    // The events reader runs this before it advances and wakes long-polls, so its cost per
    // batch bounds how fast /sync sees new events. Members, power levels and push rules are
    // read once per room and user per batch, not once per event: under concurrent senders a
    // batch holds hundreds of events, and per-event reads (each waiting for a pool connection
    // among busy /sync requests) made the reader fall tens of seconds behind.
    const rooms = new Map<string, Promise<RoomContext>>();
    const rulesets = new Map<string, Promise<Ruleset>>();
    const roomContext = (event: StoredEvent) => {
      const group = event.stateGroupBefore;
      const cached = known.get(event.roomId);
      if (group !== undefined && cached?.group === group) return Promise.resolve(cached.context);
      const key = `${group ?? ''} ${event.roomId}`;
      let context = rooms.get(key);
      if (!context) {
        context = loadRoomContext(q, event.roomId);
        rooms.set(key, context);
        if (group !== undefined) void context.then((loaded) => known.set(event.roomId, { group, context: loaded }), () => {});
      }
      return context;
    };
    // Every member's rules in one read for the whole batch; someone who joins within the
    // batch is read when first met.
    const readRules = (userIds: readonly string[]) => {
      const own = options.pushRulesOf?.(userIds, q) ?? Promise.resolve(new Map<string, OwnPushRules>());
      for (const userId of userIds) rulesets.set(userId, own.then((rules) => withDefaultRules(rules.get(userId) ?? {}, userId)));
    };
    const rulesetOf = (userId: string) => {
      if (!rulesets.has(userId)) readRules([userId]);
      return rulesets.get(userId)!;
    };
    const accepted = [...events.values()].filter((event) => event.rejected === undefined);
    const members = new Set<string>();
    for (const event of accepted) {
      for (const member of (await roomContext(event)).members) if (!only || only.has(member.userId)) members.add(member.userId);
    }
    readRules([...members]);
    const rows: PushActionRow[] = [];
    for (const event of accepted) {
      const { members, powerLevels } = await roomContext(event);
      const clientEvent: JsonObject = { ...(event.pdu as JsonObject), event_id: event.eventId, room_id: event.roomId };
      const notifications = powerLevels?.['notifications'];
      const content = event.pdu['content'] as Record<string, unknown> | undefined;
      const relates = content?.['m.relates_to'] as Record<string, unknown> | undefined;
      const threadId = relates?.['rel_type'] === 'm.thread' && typeof relates['event_id'] === 'string' ? relates['event_id'] : 'main';
      for (const member of members) {
        if (member.userId === event.sender || (only && !only.has(member.userId))) continue;
        const outcome = evaluatePushRules(clientEvent, {
          ruleset: await rulesetOf(member.userId),
          context: {
            userId: member.userId,
            displayName: member.displayName,
            roomMemberCount: members.length,
            senderPowerLevel: senderLevel(powerLevels, event.sender),
            notificationPowerLevels: typeof notifications === 'object' && notifications !== null && !Array.isArray(notifications) ? (notifications as Record<string, number>) : {},
          },
        });
        if (!outcome?.notify) continue;
        rows.push({
          userId: member.userId,
          eventId: event.eventId,
          roomId: event.roomId,
          streamOrdering: event.streamOrdering,
          threadId,
          notify: true,
          highlight: outcome.highlight,
          actions: outcome.actions,
        });
      }
    }
    await insertPushActions(q, rows);
  };
}

type Ruleset = ReturnType<typeof withDefaultRules>;

interface RoomContext {
  readonly members: Awaited<ReturnType<typeof getRoomMembers>>;
  readonly powerLevels: JsonObject | undefined;
}

async function loadRoomContext(db: Queryable, roomId: string): Promise<RoomContext> {
  const members = await getRoomMembers(db, roomId, { memberships: ['join'] });
  const powerLevels = (await getCurrentStateEvent(db, roomId, { type: 'm.room.power_levels', stateKey: '' }))?.pdu['content'] as JsonObject | undefined;
  return { members, powerLevels };
}

function senderLevel(powerLevels: JsonObject | undefined, sender: string): number {
  const users = powerLevels?.['users'];
  if (users && typeof users === 'object' && !Array.isArray(users)) {
    const level = (users as Record<string, unknown>)[sender];
    if (typeof level === 'number') return level;
  }
  const usersDefault = powerLevels?.['users_default'];
  return typeof usersDefault === 'number' ? usersDefault : 0;
}

/** Users' push rules from their m.push_rules account data (the `global` ruleset), in one read. */
export function storedPushRules(db: Queryable): PushRulesOf {
  return async (userIds, via) => {
    const rules = new Map<string, OwnPushRules>();
    for (const [userId, content] of await pushRulesContentOf(via ?? db, userIds)) {
      const global = content['global'];
      if (global && typeof global === 'object' && !Array.isArray(global)) rules.set(userId, global as OwnPushRules);
    }
    return rules;
  };
}
