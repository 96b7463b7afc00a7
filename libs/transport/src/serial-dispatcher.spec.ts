import { describe, expect, it } from 'vitest';
import { SerialDispatcher } from './serial-dispatcher.ts';
import type { TransportMessage } from './transport.ts';

const message = (n: number): TransportMessage => ({ subject: 's', payload: new Uint8Array([n % 256]) });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SerialDispatcher', () => {
  it('delivers at once when idle, unless told to defer', () => {
    const got: string[] = [];
    new SerialDispatcher(() => void got.push('now'), { onError() {} }).push(message(1));
    new SerialDispatcher(() => void got.push('later'), { onError() {}, defer: true }).push(message(1));
    expect(got).toEqual(['now']);
  });

  it('keeps order across a long async backlog (past the compaction point)', async () => {
    const got: number[] = [];
    let index = 0;
    const dispatcher = new SerialDispatcher(async () => {
      got.push(index++);
      if (index % 500 === 0) await tick();
    }, { onError() {} });
    for (let i = 0; i < 3000; i++) dispatcher.push(message(i));
    while (got.length < 3000) await tick();
    expect(got).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('reports failures and drops the backlog on close', async () => {
    const errors: unknown[] = [];
    const got: number[] = [];
    const dispatcher = new SerialDispatcher(async (m) => {
      await tick();
      if (m.payload[0] === 1) throw new Error('boom');
      got.push(m.payload[0]!);
    }, { onError: (error) => errors.push(error) });
    dispatcher.push(message(1));
    dispatcher.push(message(2));
    await tick();
    await tick();
    dispatcher.close();
    dispatcher.push(message(3));
    await tick();
    await tick();
    expect(errors).toHaveLength(1);
    expect(got.includes(3)).toBe(false);
  });
});
