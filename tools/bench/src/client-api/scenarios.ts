// The client-API benchmark scenarios: send throughput with concurrent senders, send-to-sync
// delivery latency seen by long-polling users, and initial sync of a user in many rooms.
import { createRoom, inParallel, joinRoom, percentile, registerUser, sendText, sync, type BenchUser, type SyncResponse } from './client.ts';

export interface RoomSetup {
  readonly users: readonly BenchUser[];
  readonly rooms: readonly string[];
  /** The room user i is in. */
  roomOf(index: number): string;
}

export async function setupRooms(baseUrl: string, options: { users: number; rooms: number; tag: string }): Promise<RoomSetup> {
  const creator = await registerUser(baseUrl, `creator_${options.tag}`);
  const rooms: string[] = [];
  await inParallel(Array.from({ length: options.rooms }), 5, async (_item, i) => {
    rooms[i] = await createRoomRetrying(baseUrl, creator, `bench room ${i}`);
  });
  const users: BenchUser[] = [];
  await inParallel(Array.from({ length: options.users }), 10, async (_item, i) => {
    users[i] = await registerUser(baseUrl, `user_${options.tag}_${i}`);
    await joinRoom(baseUrl, users[i]!, rooms[i % rooms.length]!);
  });
  return { users, rooms, roomOf: (i) => rooms[i % rooms.length]! };
}

export interface ThroughputResult {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly sendP50: number;
  readonly sendP99: number;
}

/** Every user sends `perSender` messages one after another to its room, all users at once. */
export async function sendThroughput(baseUrl: string, setup: RoomSetup, perSender: number, label = 'tp'): Promise<ThroughputResult> {
  const durations: number[] = [];
  const started = performance.now();
  await Promise.all(setup.users.map(async (user, i) => {
    for (let k = 0; k < perSender; k += 1) {
      const t0 = performance.now();
      await sendText(baseUrl, user, setup.roomOf(i), `${label}-${i}-${k}`);
      durations.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const messages = setup.users.length * perSender;
  return { messages, seconds, perSecond: messages / seconds, sendP50: percentile(durations, 50), sendP99: percentile(durations, 99) };
}

export interface LoneSendsResult {
  readonly messages: number;
  readonly sendP50: number;
  readonly sendP99: number;
}

/**
 * One user sends `count` messages one at a time, `gapMs` apart: what each send costs a server
 * that does nothing else (no other sender to share its transaction, no long-poll to wake).
 */
export async function loneSends(baseUrl: string, setup: RoomSetup, count: number, gapMs: number): Promise<LoneSendsResult> {
  const durations: number[] = [];
  for (let k = 0; k < count; k += 1) {
    const t0 = performance.now();
    await sendText(baseUrl, setup.users[0]!, setup.roomOf(0), `lone-${k}`);
    durations.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  durations.sort((a, b) => a - b);
  return { messages: count, sendP50: percentile(durations, 50), sendP99: percentile(durations, 99) };
}

export interface LatencyResult extends ThroughputResult {
  readonly samples: number;
  readonly expected: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Long-polls that failed without an HTTP answer (then retried). */
  readonly pollErrors: number;
  /** /sync answers the pollers received (how many responses the deliveries took). */
  readonly answers: number;
  readonly lastPollError: string;
  /** The warm-up rounds' deliveries, apart from the figures above (undefined without warm-up). */
  readonly warmup?: { readonly messages: number; readonly samples: number; readonly p50: number; readonly p99: number; readonly max: number };
}

/** Waits (polling every 20 ms, 60 s at most) until `parked` reads at least `count`. */
async function untilParked(parked: () => Promise<number>, count: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  let seen = await parked();
  while (seen < count) {
    if (performance.now() > deadline) throw new Error(`the server holds ${seen} long-polls after 60 s, not the ${count} the pollers sent`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await parked();
  }
}

/** The long-polls a /metrics page reports parked (sync_long_polls_waiting, summed over its series). */
export function parkedLongPolls(page: string): number {
  return [...page.matchAll(/^sync_long_polls_waiting(?:\{[^}]*\})? (\S+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

const LATENCY_FILTER = JSON.stringify({ room: { timeline: { limit: 1000 }, state: { lazy_load_members: true } }, presence: { not_types: ['*'] } });

/** `--latency-warmup`: whole rounds of one message per sender (0 for none). */
export function warmupRounds(value: string | undefined): number {
  const rounds = Number(value);
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`--latency-warmup must be a whole number of rounds (0 for none), got ${JSON.stringify(value)}`);
  return rounds;
}

/** The line that prints a latency run's warm-up apart. */
export function warmupLine(w: NonNullable<LatencyResult['warmup']>, rounds: number): string {
  return `  warm-up before it, not counted above: ${w.messages} messages (${rounds} per sender, same schedule), delivery p50 ${w.p50.toFixed(0)} ms, p99 ${w.p99.toFixed(0)} ms, max ${w.max.toFixed(0)} ms over ${w.samples} deliveries`;
}

/**
 * Every user long-polls /sync (timeout 30 s) while every user also sends `perSender` messages,
 * each after the previous one answered (full speed) or, with `rate`, each at its turn of a
 * fixed schedule of `rate` messages per second over all senders (the same offered load for
 * every server, so latencies compare). Latency is from the start of a send to the moment a
 * poller's sync answer holds the event. With `parked`, the sends start once the server holds
 * every poller's long-poll: otherwise the first messages race the pollers' first requests, whose
 * burst then shows in the tail. With `warmupRounds`, each sender first sends that many messages
 * on the same schedule, whose deliveries are reported apart: a server's first few hundred
 * milliseconds of this load run code V8 has not optimized yet (measured: the first dozen
 * messages took 20-85 ms where the rest took ~10), and that start-up cost, once per process,
 * would otherwise set the p99 of a 1,000-message run.
 */
export async function deliveryLatency(
  baseUrl: string,
  setup: RoomSetup,
  perSender: number,
  options: { rate?: number; parked?: () => Promise<number>; warmupRounds?: number } = {},
): Promise<LatencyResult> {
  const warmupRounds = options.warmupRounds ?? 0;
  const sentAt = new Map<string, number>();
  const warmupSentAt = new Map<string, number>();
  const latencies: number[] = [];
  const warmupLatencies: number[] = [];
  const membersPerRoom = new Map<string, number>();
  setup.users.forEach((_u, i) => membersPerRoom.set(setup.roomOf(i), (membersPerRoom.get(setup.roomOf(i)) ?? 0) + 1));
  const deliveries = (rounds: number) => setup.users.reduce((sum, _u, i) => sum + rounds * (membersPerRoom.get(setup.roomOf(i)) ?? 0), 0);
  const expected = deliveries(perSender);
  const expectedWarmup = deliveries(warmupRounds);
  let stopping = false;
  let onAllSeen: () => void = () => {};
  const allSeen = new Promise<void>((resolve) => (onAllSeen = resolve));

  const seen = (response: SyncResponse, now: number) => {
    for (const room of Object.values(response.rooms?.join ?? {})) {
      for (const event of room.timeline?.events ?? []) {
        const body = event.content?.body;
        if (typeof body !== 'string') continue;
        const at = sentAt.get(body);
        if (at !== undefined) latencies.push(now - at);
        const warmupAt = warmupSentAt.get(body);
        if (warmupAt !== undefined) warmupLatencies.push(now - warmupAt);
      }
    }
    if (latencies.length >= expected && warmupLatencies.length >= expectedWarmup) onAllSeen();
  };
  const tokens = await Promise.all(setup.users.map(async (user) => (await sync(baseUrl, user, { filter: JSON.stringify({ room: { timeline: { limit: 1 } } }) })).next_batch));
  let pollErrors = 0;
  let answers = 0;
  let lastPollError = '';
  const pollers = setup.users.map(async (user, i) => {
    let since = tokens[i]!;
    while (!stopping) {
      try {
        const response = await sync(baseUrl, user, { since, timeoutMs: 30_000, filter: LATENCY_FILTER });
        seen(response, performance.now());
        answers += 1;
        since = response.next_batch;
      } catch (error) {
        // A dropped connection is counted and the long-poll retried from the same token, as clients do.
        pollErrors += 1;
        lastPollError = String((error as Error & { cause?: Error }).cause ?? error);
      }
    }
  });
  if (options.parked) await untilParked(options.parked, setup.users.length);
  const durations: number[] = [];
  const started = performance.now();
  // When the first measured send started: the rate and duration count the measured rounds only.
  let measuredFrom = Infinity;
  const senders = setup.users.length;
  await Promise.all(setup.users.map(async (user, i) => {
    for (let k = 0; k < warmupRounds + perSender; k += 1) {
      if (options.rate !== undefined) {
        const due = started + ((k * senders + i) * 1000) / options.rate;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      }
      const warmup = k < warmupRounds;
      const body = `${warmup ? 'warmup' : 'lat'}-${i}-${k}`;
      const t0 = performance.now();
      (warmup ? warmupSentAt : sentAt).set(body, t0);
      if (!warmup) measuredFrom = Math.min(measuredFrom, t0);
      await sendText(baseUrl, user, setup.roomOf(i), body);
      if (!warmup) durations.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - measuredFrom) / 1000;
  await Promise.race([allSeen, new Promise((resolve) => setTimeout(resolve, 60_000))]);
  stopping = true;
  // Wake every long-poll so the pollers notice they should stop.
  await Promise.all(setup.rooms.map((room, r) => sendText(baseUrl, setup.users[r]!, room, 'stop')));
  await Promise.all(pollers);
  latencies.sort((a, b) => a - b);
  warmupLatencies.sort((a, b) => a - b);
  durations.sort((a, b) => a - b);
  const messages = setup.users.length * perSender;
  const warmup =
    warmupRounds === 0
      ? undefined
      : { messages: senders * warmupRounds, samples: warmupLatencies.length, p50: percentile(warmupLatencies, 50), p99: percentile(warmupLatencies, 99), max: warmupLatencies[warmupLatencies.length - 1] ?? Number.NaN };
  return {
    messages,
    seconds,
    perSecond: messages / seconds,
    sendP50: percentile(durations, 50),
    sendP99: percentile(durations, 99),
    samples: latencies.length,
    expected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    pollErrors,
    answers,
    lastPollError,
    warmup,
  };
}

/**
 * createRoom, retried (up to 5 times, a few milliseconds apart) on M_ROOM_IN_USE: in v12 the
 * room ID is the create event's hash, and two creations by one user in the same millisecond
 * build the same create event (a server bug this benchmark reports rather than trips over).
 */
async function createRoomRetrying(baseUrl: string, user: BenchUser, name: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createRoom(baseUrl, user, name);
    } catch (error) {
      if (!String(error).includes('M_ROOM_IN_USE') || attempt === 5) throw error;
      roomIdCollisions += 1;
      await new Promise((resolve) => setTimeout(resolve, 3 * attempt));
    }
  }
}

let roomIdCollisions = 0;

export interface InitialSyncResult {
  readonly rooms: number;
  readonly setupSeconds: number;
  readonly joinedInResponse: number;
  /** Wall time of each /sync, the first (cold: nothing cached, code not yet optimised) first. */
  readonly timesMs: readonly number[];
  /** Server CPU per answer over the answers after the first, in ms (undefined without `cpuSeconds`). */
  readonly warmCpuMs: number | undefined;
  /** createRoom calls refused as M_ROOM_IN_USE (same-millisecond create events) and retried. */
  readonly roomIdCollisions: number;
}

export interface InitialSyncOptions {
  readonly rooms: number;
  readonly messages: number;
  readonly tag: string;
  /** /sync calls made (the first cold, the others warm). Default: 10. */
  readonly repeats?: number;
  /** The server's CPU time so far in seconds, to give the warm answers' CPU. Default: none. */
  readonly cpuSeconds?: () => Promise<number>;
  /** Called once the first (cold) answer is in, before the warm ones are asked for. */
  readonly beforeWarm?: () => Promise<void>;
}

/**
 * A user in `rooms` rooms with `messages` messages each: time of /sync without a since token, the
 * first answer (cold) apart from the next ones (a client logging in to a server that has been
 * serving: caches and optimised code warm).
 */
export async function initialSync(baseUrl: string, options: InitialSyncOptions): Promise<InitialSyncResult> {
  const started = performance.now();
  const user = await registerUser(baseUrl, `initial_${options.tag}`);
  await inParallel(Array.from({ length: options.rooms }), 10, async (_item, r) => {
    const roomId = await createRoomRetrying(baseUrl, user, `initial ${r}`);
    for (let k = 0; k < options.messages; k += 1) await sendText(baseUrl, user, roomId, `init-${r}-${k}`);
  });
  const setupSeconds = (performance.now() - started) / 1000;
  const timesMs: number[] = [];
  let joinedInResponse = 0;
  const repeats = options.repeats ?? 10;
  let cpuAfterFirst = 0;
  for (let i = 0; i < repeats; i += 1) {
    const t0 = performance.now();
    const response = await sync(baseUrl, user);
    timesMs.push(performance.now() - t0);
    joinedInResponse = Object.keys(response.rooms?.join ?? {}).length;
    if (i === 0) await options.beforeWarm?.();
    if (i === 0 && options.cpuSeconds) cpuAfterFirst = await options.cpuSeconds();
  }
  const warmCpuMs = options.cpuSeconds && repeats > 1 ? ((await options.cpuSeconds()) - cpuAfterFirst) * 1000 / (repeats - 1) : undefined;
  return { rooms: options.rooms, setupSeconds, joinedInResponse, timesMs, warmCpuMs, roomIdCollisions };
}
