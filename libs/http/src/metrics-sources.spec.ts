// The series registerMetricsSources exposes, read from fake sources at scrape time: exact
// exposition lines, folding of duplicate label sets, and no stale series once a source is gone.
import { describe, expect, it } from 'vitest';
import { createProcessMetrics, type ProcessMetrics } from './metrics.ts';
import { registerMetricsSources, type ActorKindSnapshot, type DbPoolSnapshot, type StreamReaderSnapshot, type StreamWriterSnapshot } from './metrics-sources.ts';

/** The sample lines of one metric (no HELP/TYPE), with the default labels left out. */
async function samples(metrics: ProcessMetrics, name: string): Promise<string[]> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/,?worker_name="w1",worker_app="main"/, '').replace('{}', ''));
}

function setup() {
  const metrics = createProcessMetrics({ workerName: 'w1', workerApp: 'main' });
  const state = {
    actors: [] as ActorKindSnapshot[],
    writers: [] as StreamWriterSnapshot[],
    readers: [] as StreamReaderSnapshot[],
    pool: undefined as DbPoolSnapshot | undefined,
  };
  registerMetricsSources(metrics, {
    actors: () => state.actors,
    streams: () => ({ writers: state.writers, readers: state.readers }),
    dbPool: () => state.pool,
  });
  return { metrics, state };
}

const reader = (stream: string, writers: StreamReaderSnapshot['writers'], stats = { viaBus: 0, viaCatchUp: 0, catchUps: 0 }): StreamReaderSnapshot => ({ stream, writers, stats });

describe('registerMetricsSources', () => {
  it('exposes actor kinds: live actors, queued messages and the deepest mailbox', async () => {
    const { metrics, state } = setup();
    state.actors = [
      { kind: 'room', actors: 4, queued: 7, maxDepth: 5 },
      { kind: 'presence', actors: 0, queued: 0, maxDepth: 0 },
    ];
    expect(await samples(metrics, 'actors_live')).toEqual(['actors_live{kind="room"} 4', 'actors_live{kind="presence"} 0']);
    expect(await samples(metrics, 'actor_mailbox_messages')).toEqual(['actor_mailbox_messages{kind="room"} 7', 'actor_mailbox_messages{kind="presence"} 0']);
    expect(await samples(metrics, 'actor_mailbox_max_depth')).toEqual(['actor_mailbox_max_depth{kind="room"} 5', 'actor_mailbox_max_depth{kind="presence"} 0']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE actor_mailbox_messages gauge\nactor_mailbox_messages{kind="room",worker_name="w1",worker_app="main"} 7\n');
  });

  it('exposes writer positions, reader positions and lag per stream and writer, read afresh at each scrape', async () => {
    const { metrics, state } = setup();
    state.writers = [{ stream: 'events', writer: 'main', position: 41 }];
    state.readers = [reader('events', [{ writer: 'main', position: 38, latest: 41 }, { writer: 'p2', position: 9, latest: 9 }], { viaBus: 30, viaCatchUp: 8, catchUps: 2 })];
    expect(await samples(metrics, 'stream_writer_position')).toEqual(['stream_writer_position{stream="events",writer="main"} 41']);
    expect(await samples(metrics, 'stream_reader_position')).toEqual([
      'stream_reader_position{stream="events",writer="main"} 38',
      'stream_reader_position{stream="events",writer="p2"} 9',
    ]);
    expect(await samples(metrics, 'stream_reader_lag')).toEqual(['stream_reader_lag{stream="events",writer="main"} 3', 'stream_reader_lag{stream="events",writer="p2"} 0']);
    expect(await samples(metrics, 'stream_reader_catch_ups_total')).toEqual(['stream_reader_catch_ups_total{stream="events"} 2']);
    expect(await samples(metrics, 'stream_reader_rows_total')).toEqual([
      'stream_reader_rows_total{stream="events",source="bus"} 30',
      'stream_reader_rows_total{stream="events",source="catch_up"} 8',
    ]);
    expect(await metrics.registry.metrics()).toContain('# TYPE stream_reader_catch_ups_total counter\n');

    state.writers = [{ stream: 'events', writer: 'main', position: 45 }];
    state.readers = [reader('events', [{ writer: 'main', position: 45, latest: 45 }])];
    expect(await samples(metrics, 'stream_writer_position')).toEqual(['stream_writer_position{stream="events",writer="main"} 45']);
    expect(await samples(metrics, 'stream_reader_lag')).toEqual(['stream_reader_lag{stream="events",writer="main"} 0']);
  });

  it('folds two readers of one stream into the slower one, and two writers into the furthest', async () => {
    const { metrics, state } = setup();
    state.writers = [
      { stream: 'typing', writer: 'main', position: 3 },
      { stream: 'typing', writer: 'main', position: 5 },
    ];
    state.readers = [
      reader('typing', [{ writer: 'main', position: 5, latest: 5 }], { viaBus: 1, viaCatchUp: 2, catchUps: 1 }),
      reader('typing', [{ writer: 'main', position: 2, latest: 5 }], { viaBus: 10, viaCatchUp: 0, catchUps: 3 }),
    ];
    expect(await samples(metrics, 'stream_writer_position')).toEqual(['stream_writer_position{stream="typing",writer="main"} 5']);
    expect(await samples(metrics, 'stream_reader_position')).toEqual(['stream_reader_position{stream="typing",writer="main"} 2']);
    expect(await samples(metrics, 'stream_reader_lag')).toEqual(['stream_reader_lag{stream="typing",writer="main"} 3']);
    expect(await samples(metrics, 'stream_reader_catch_ups_total')).toEqual(['stream_reader_catch_ups_total{stream="typing"} 4']);
    expect(await samples(metrics, 'stream_reader_rows_total')).toEqual([
      'stream_reader_rows_total{stream="typing",source="bus"} 11',
      'stream_reader_rows_total{stream="typing",source="catch_up"} 2',
    ]);
  });

  it('drops the series of writers and readers that closed', async () => {
    const { metrics, state } = setup();
    state.writers = [{ stream: 'receipts', writer: 'main', position: 2 }];
    state.readers = [reader('receipts', [{ writer: 'main', position: 2, latest: 2 }])];
    expect(await samples(metrics, 'stream_reader_position')).toHaveLength(1);
    state.writers = [];
    state.readers = [];
    for (const name of ['stream_writer_position', 'stream_reader_position', 'stream_reader_lag', 'stream_reader_catch_ups_total', 'stream_reader_rows_total']) {
      expect(await samples(metrics, name)).toEqual([]);
    }
  });

  it('exposes pool use, leaving out counts the database cannot tell', async () => {
    const { metrics, state } = setup();
    state.pool = { total: 6, idle: 2, waiting: 1, max: 10 };
    expect(await samples(metrics, 'db_pool_connections')).toEqual([
      'db_pool_connections{state="total"} 6',
      'db_pool_connections{state="idle"} 2',
      'db_pool_connections{state="waiting"} 1',
    ]);
    expect(await samples(metrics, 'db_pool_max_connections')).toEqual(['db_pool_max_connections 10']);
    state.pool = { total: 1, idle: undefined, waiting: undefined, max: 1 };
    expect(await samples(metrics, 'db_pool_connections')).toEqual(['db_pool_connections{state="total"} 1']);
    expect(await samples(metrics, 'db_pool_max_connections')).toEqual(['db_pool_max_connections 1']);
  });

  it('adds nothing for sources not given', async () => {
    const metrics = createProcessMetrics({ workerName: 'w1', workerApp: 'main' });
    registerMetricsSources(metrics, { dbPool: () => ({ total: 1, idle: undefined, waiting: undefined, max: 1 }) });
    const text = await metrics.registry.metrics();
    expect(text).toContain('db_pool_connections');
    expect(text).not.toContain('actor_mailbox_messages');
    expect(text).not.toContain('stream_writer_position');
  });
});
