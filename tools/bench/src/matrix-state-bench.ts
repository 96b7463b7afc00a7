// Benchmark of the Matrix core's state resolution and auth chains. Prints wall time and peak
// memory (maxRSS) for: resolving two 200-event branches over a room with 10,000 members, and
// the auth chain of an event 50,000 events deep.
//   npx node tools/bench/src/matrix-state-bench.ts [resolve|chain|all] [--version=11]
import { AuthChains, type JsonObject, resolveState, type RoomEvent, type RoomVersion, roomVersion, selectAuthEvents, type StateKey, stateKeyOf } from '@homeserver/matrix';

const MEMBERS = 10_000;
const BRANCH_EVENTS = 200;
const CHAIN_DEPTH = 50_000;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function maxRssMiB(): string {
  return (process.resourceUsage().maxRSS / 1024).toFixed(1);
}

/** A minimal event factory: IDs, timestamps and depths are counters; auth events are selected from `state`. */
class Builder {
  readonly events = new Map<string, RoomEvent>();
  readonly version: RoomVersion;
  readonly roomId: string;
  #n = 0;

  constructor(version: RoomVersion) {
    this.version = version;
    this.roomId = version.roomIdIsCreateEventHash ? '!create' : '!bench:example.org';
  }

  add(state: Map<StateKey, string>, type: string, sender: string, stateKey: string | undefined, content: JsonObject, prev: string[]): RoomEvent {
    this.#n += 1;
    const isCreate = type === 'm.room.create';
    const eventId = isCreate && this.version.roomIdIsCreateEventHash ? '$create' : `$ev${this.#n}:example.org`;
    const probe = { type, stateKey, sender, content, roomVersion: this.version };
    const event: RoomEvent = {
      eventId, roomId: this.roomId, type, stateKey, sender, content,
      originServerTs: 1_700_000_000_000 + this.#n, depth: this.#n,
      authEventIds: isCreate ? [] : selectAuthEvents(probe, state), prevEventIds: prev,
      redacts: undefined, roomVersion: this.version, pdu: {},
    };
    this.events.set(eventId, event);
    if (stateKey !== undefined) state.set(stateKeyOf(type, stateKey), eventId);
    return event;
  }
}

const user = (i: number) => `@user${i}:example.org`;
const ADMIN = '@admin:example.org';
const MOD = '@mod:example.org';

function benchResolve(versionId: string): void {
  const version = roomVersion(versionId);
  const b = new Builder(version);
  const base = new Map<StateKey, string>();
  let tip = b.add(base, 'm.room.create', ADMIN, '', version.implicitRoomCreator ? {} : { creator: ADMIN }, []).eventId;
  tip = b.add(base, 'm.room.member', ADMIN, ADMIN, { membership: 'join' }, [tip]).eventId;
  const users = (extra: Record<string, number>) => ({ ...(version.privilegedCreators ? {} : { [ADMIN]: 100 }), [MOD]: 50, ...extra });
  tip = b.add(base, 'm.room.power_levels', ADMIN, '', { users: users({}) }, [tip]).eventId;
  tip = b.add(base, 'm.room.join_rules', ADMIN, '', { join_rule: 'public' }, [tip]).eventId;
  tip = b.add(base, 'm.room.member', MOD, MOD, { membership: 'join' }, [tip]).eventId;
  for (let i = 0; i < MEMBERS; i += 1) tip = b.add(base, 'm.room.member', user(i), user(i), { membership: 'join' }, [tip]).eventId;
  const fork = tip;

  // Two branches of 200 state events each: membership churn, kicks/bans, topics and power levels.
  const branch = (seed: number): Map<StateKey, string> => {
    const state = new Map(base);
    let last = fork;
    for (let i = 0; i < BRANCH_EVENTS; i += 1) {
      const target = user((seed * 7919 + i * 31) % MEMBERS);
      const kind = i % 8;
      let e: RoomEvent;
      if (kind === 0) e = b.add(state, 'm.room.topic', MOD, '', { topic: `t${seed}-${i}` }, [last]);
      else if (kind === 1) e = b.add(state, 'm.room.power_levels', ADMIN, '', { users: users({ [user(i)]: 10 + seed }) }, [last]);
      else if (kind === 2) e = b.add(state, 'm.room.member', MOD, target, { membership: 'ban' }, [last]);
      else if (kind === 3) e = b.add(state, 'm.room.member', MOD, target, { membership: 'leave' }, [last]);
      else e = b.add(state, 'm.room.member', target, target, { membership: 'join', displayname: `d${seed}-${i}` }, [last]);
      last = e.eventId;
    }
    return state;
  };
  const a = branch(1);
  const c = branch(2);
  const fetchEvent = (id: string) => b.events.get(id);
  // Five runs (each with a fresh auth-chain memo): the machine is shared, so report min and median.
  const times: number[] = [];
  let keys = 0;
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    keys = resolveState([a, c], { roomVersion: version, fetchEvent }).size;
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  print(
    `resolve v${versionId} (${version.stateResolution}): ${MEMBERS} members, 2 x ${BRANCH_EVENTS} events -> ${keys} keys; ` +
      `min ${times[0]!.toFixed(1)} ms, median ${times[2]!.toFixed(1)} ms over 5 runs; maxRSS ${maxRssMiB()} MiB`,
  );
}

function benchChain(): void {
  const version = roomVersion('11');
  const events = new Map<string, RoomEvent>();
  for (let i = 0; i <= CHAIN_DEPTH; i += 1) {
    const id = `$c${i}`;
    events.set(id, {
      eventId: id, roomId: '!bench:example.org', type: 'm.room.member', stateKey: '@u:example.org', sender: '@u:example.org',
      content: { membership: 'join' }, originServerTs: i, depth: i, authEventIds: i === 0 ? [] : [`$c${i - 1}`],
      prevEventIds: [], redacts: undefined, roomVersion: version, pdu: {},
    });
  }
  const chains = new AuthChains((id) => events.get(id));
  const started = performance.now();
  const chain = chains.chainOf(`$c${CHAIN_DEPTH}`);
  const elapsed = performance.now() - started;
  const again = performance.now();
  chains.chainOf(`$c${CHAIN_DEPTH}`);
  const memoHit = performance.now() - again;
  print(`auth chain: depth ${CHAIN_DEPTH} -> ${chain.size} events in ${elapsed.toFixed(1)} ms (memoised repeat ${memoHit.toFixed(3)} ms); maxRSS ${maxRssMiB()} MiB`);
}

const mode = process.argv[2] ?? 'all';
const versionArg = process.argv.find((a) => a.startsWith('--version='))?.slice('--version='.length);
print(`baseline maxRSS ${maxRssMiB()} MiB`);
if (mode === 'resolve' || mode === 'all') benchResolve(versionArg ?? '11');
if (mode === 'chain' || mode === 'all') benchChain();
