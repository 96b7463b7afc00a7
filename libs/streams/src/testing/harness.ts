// Unit-test harness: one PGlite database with the migrations applied, writers and readers of
// the test stream over in-process transports sharing one hub (lossy where a test needs it).
import { openDatabase, type Database } from '@homeserver/storage';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import type { StreamRecord } from '../stream-definition.ts';
import { StreamReader, type StreamReaderOptions } from '../stream-reader.ts';
import { StreamWriter, type StreamWriterOptions } from '../stream-writer.ts';
import { FlakyTransport } from './flaky-transport.ts';
import { createTestStreamTable, insertTestRow, testStream, type TestRow } from './test-stream.ts';

export class Harness {
  readonly db: Database;
  readonly hub = new InProcessHub();
  #closers: Array<() => Promise<void>> = [];

  private constructor(db: Database) {
    this.db = db;
  }

  static async open(): Promise<Harness> {
    const db = await openDatabase({ kind: 'pglite' });
    await createTestStreamTable(db);
    return new Harness(db);
  }

  transport(): FlakyTransport {
    const transport = new FlakyTransport(new InProcessTransport({ hub: this.hub }));
    this.#closers.push(() => transport.close());
    return transport;
  }

  async writer(stream: string, options: StreamWriterOptions & { transport?: FlakyTransport }): Promise<StreamWriter<TestRow>> {
    const writer = await StreamWriter.start(this.db, options.transport ?? this.transport(), testStream(stream), options);
    this.#closers.push(() => writer.close());
    return writer;
  }

  async reader(
    stream: string,
    options: Omit<StreamReaderOptions<TestRow>, 'deliver'> & { transport?: FlakyTransport },
  ): Promise<{ reader: StreamReader<TestRow>; received: StreamRecord<TestRow>[] }> {
    const received: StreamRecord<TestRow>[] = [];
    const reader = await StreamReader.start(this.db, options.transport ?? this.transport(), testStream(stream), {
      ...options,
      deliver: (records) => void received.push(...records),
    });
    this.#closers.push(() => reader.close());
    return { reader, received };
  }

  /** Closes every writer, reader and transport opened so far (not the database). */
  async reset(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) await close();
  }

  async close(): Promise<void> {
    await this.reset();
    await this.db.close();
  }
}

/** Writes `rows` test rows in one transaction; returns their positions. */
export async function writeRows(writer: StreamWriter<TestRow>, first: number, count: number): Promise<number[]> {
  const { value } = await writer.write(async (tx) => {
    const positions = await tx.allocate(count);
    for (const [i, position] of positions.entries()) {
      const row = { n: first + i, text: `row ${first + i}` };
      await insertTestRow(tx, writer.stream, writer.instanceName, position, row);
      tx.addRow(position, row);
    }
    return positions;
  });
  return value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes (then throws). */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
