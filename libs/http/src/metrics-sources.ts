// Prometheus series of what a process holds in memory: actor mailboxes, stream writer and
// reader positions (and readers' lag), database pool use. Each is read from a plain snapshot
// at scrape time (a metric's `collect`), so nothing runs between scrapes, a closed reader's
// series disappear with it, and the libraries that own the state never import the metrics code.
import { Counter, Gauge } from './prometheus.ts';
import type { ProcessMetrics } from './metrics.ts';

/** One hosted actor kind (the shape of ActorSystem.metrics()). */
export interface ActorKindSnapshot {
  readonly kind: string;
  readonly actors: number;
  readonly queued: number;
  readonly maxDepth: number;
}

/** One open stream writer (StreamWriter.snapshot()). */
export interface StreamWriterSnapshot {
  readonly stream: string;
  readonly writer: string;
  readonly position: number;
}

/** One open stream reader (StreamReader.snapshot()). */
export interface StreamReaderSnapshot {
  readonly stream: string;
  /** Per followed writer: delivered position, and the newest position the writer is known to have reached. */
  readonly writers: readonly { readonly writer: string; readonly position: number; readonly latest: number }[];
  readonly stats: { readonly viaBus: number; readonly viaCatchUp: number; readonly catchUps: number };
}

/** Database connection use (Database.poolStats()); undefined counts are not reported. */
export interface DbPoolSnapshot {
  readonly total: number;
  readonly idle: number | undefined;
  readonly waiting: number | undefined;
  readonly max: number;
}

export interface MetricsSources {
  /** Every hosted actor kind. Default: no actor series. */
  readonly actors?: () => readonly ActorKindSnapshot[];
  /** The process's open stream writers and readers. Default: no stream series. */
  readonly streams?: () => { readonly writers: readonly StreamWriterSnapshot[]; readonly readers: readonly StreamReaderSnapshot[] };
  /** Default: no pool series. */
  readonly dbPool?: () => DbPoolSnapshot | undefined;
}

type Labels<K extends string> = Record<K, string>;

/** Folds values that share labels (two readers of one stream) into one series. */
function fold<K extends string>(entries: Iterable<readonly [Labels<K>, number]>, combine: (a: number, b: number) => number): Array<[Labels<K>, number]> {
  const byKey = new Map<string, [Labels<K>, number]>();
  for (const [labels, value] of entries) {
    const key = JSON.stringify(labels);
    const seen = byKey.get(key);
    byKey.set(key, [labels, seen ? combine(seen[1], value) : value]);
  }
  return [...byKey.values()];
}

/** A gauge whose series are exactly what `read` returns at each scrape. */
function snapshotGauge<K extends string>(metrics: ProcessMetrics, name: string, help: string, labelNames: readonly K[], read: () => Iterable<[Labels<K>, number]>): void {
  new Gauge<K>({
    name,
    help,
    labelNames,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

/** A counter read from a running total kept elsewhere (a reader's stats). */
function snapshotCounter<K extends string>(metrics: ProcessMetrics, name: string, help: string, labelNames: readonly K[], read: () => Iterable<[Labels<K>, number]>): void {
  new Counter<K>({
    name,
    help,
    labelNames,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

function registerActorSeries(metrics: ProcessMetrics, actors: () => readonly ActorKindSnapshot[]): void {
  const per = (value: (kind: ActorKindSnapshot) => number) => () => actors().map((k): [Labels<'kind'>, number] => [{ kind: k.kind }, value(k)]);
  snapshotGauge(metrics, 'actors_live', 'Live actors of each kind hosted by this process', ['kind'], per((k) => k.actors));
  snapshotGauge(metrics, 'actor_mailbox_messages', 'Unfinished messages in the mailboxes of each actor kind', ['kind'], per((k) => k.queued));
  snapshotGauge(metrics, 'actor_mailbox_max_depth', 'Deepest single mailbox of each actor kind', ['kind'], per((k) => k.maxDepth));
}

function registerStreamSeries(metrics: ProcessMetrics, streams: NonNullable<MetricsSources['streams']>): void {
  type W = 'stream' | 'writer';
  snapshotGauge<W>(metrics, 'stream_writer_position', 'Announced position of each stream writer in this process', ['stream', 'writer'], () =>
    fold(streams().writers.map((w) => [{ stream: w.stream, writer: w.writer }, w.position] as const), Math.max),
  );
  const perWriter = (value: (w: StreamReaderSnapshot['writers'][number]) => number) =>
    streams().readers.flatMap((r) => r.writers.map((w) => [{ stream: r.stream, writer: w.writer }, value(w)] as const));
  // With two readers of one stream in a process, the slower one is what an operator needs.
  snapshotGauge<W>(metrics, 'stream_reader_position', 'Position this process has applied of each stream, per writer', ['stream', 'writer'], () =>
    fold(perWriter((w) => w.position), Math.min),
  );
  snapshotGauge<W>(metrics, 'stream_reader_lag', 'Positions announced by a writer and not yet applied by this process\'s reader', ['stream', 'writer'], () =>
    fold(perWriter((w) => Math.max(0, w.latest - w.position)), Math.max),
  );
  const sum = (a: number, b: number) => a + b;
  snapshotCounter(metrics, 'stream_reader_catch_ups_total', 'Ranges a reader fetched from the database (gaps, rows too large to travel inline, (re)starts)', ['stream'], () =>
    fold(streams().readers.map((r) => [{ stream: r.stream }, r.stats.catchUps] as const), sum),
  );
  snapshotCounter(metrics, 'stream_reader_rows_total', 'Rows delivered by readers, by where they came from', ['stream', 'source'], () =>
    fold(
      streams().readers.flatMap((r) => [
        [{ stream: r.stream, source: 'bus' }, r.stats.viaBus] as const,
        [{ stream: r.stream, source: 'catch_up' }, r.stats.viaCatchUp] as const,
      ]),
      sum,
    ),
  );
}

function registerDbPoolSeries(metrics: ProcessMetrics, dbPool: () => DbPoolSnapshot | undefined): void {
  snapshotGauge(metrics, 'db_pool_connections', 'Database connections: open (total), idle, and callers waiting for one', ['state'], () => {
    const pool = dbPool();
    if (!pool) return [];
    const states: Array<[Labels<'state'>, number]> = [[{ state: 'total' }, pool.total]];
    if (pool.idle !== undefined) states.push([{ state: 'idle' }, pool.idle]);
    if (pool.waiting !== undefined) states.push([{ state: 'waiting' }, pool.waiting]);
    return states;
  });
  snapshotGauge(metrics, 'db_pool_max_connections', 'Most database connections the pool opens', [], () => {
    const pool = dbPool();
    return pool ? [[{}, pool.max]] : [];
  });
}

/** Adds the series of each given source to the process's registry; call once per process. */
export function registerMetricsSources(metrics: ProcessMetrics, sources: MetricsSources): void {
  if (sources.actors) registerActorSeries(metrics, sources.actors);
  if (sources.streams) registerStreamSeries(metrics, sources.streams);
  if (sources.dbPool) registerDbPoolSeries(metrics, sources.dbPool);
}
