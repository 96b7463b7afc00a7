import { describe, expect, it } from 'vitest';
import { MailboxOverloadError } from './errors.ts';
import { Mailbox } from './mailbox.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Mailbox', () => {
  it('runs posted work one at a time in arrival order, even when work is async', async () => {
    const mailbox = new Mailbox();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mailbox.post(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          log.push(`start ${i}`);
          // Later messages finish faster: only serial execution keeps the log ordered.
          await new Promise((resolve) => setTimeout(resolve, 20 - i));
          log.push(`end ${i}`);
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxRunning).toBe(1);
    expect(log).toEqual(Array.from({ length: 20 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
  });

  it('never runs work on the poster stack', () => {
    const mailbox = new Mailbox();
    let ran = false;
    void mailbox.post(() => (ran = true));
    expect(ran).toBe(false);
  });

  it('settles a failing item with its error and goes on with the next', async () => {
    const mailbox = new Mailbox();
    const first = mailbox.post(() => {
      throw new Error('boom');
    });
    const second = mailbox.post(() => 'fine');
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('fine');
  });

  it('exposes its depth and refuses posts past capacity with a named error', async () => {
    const mailbox = new Mailbox({ capacity: 3, name: 'room/!a:hs' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const accepted = [mailbox.post(() => gate), mailbox.post(() => 1), mailbox.post(() => 2)];
    expect(mailbox.depth).toBe(3);
    await tick();
    expect(mailbox.depth).toBe(3); // one running, two queued
    expect(() => mailbox.post(() => 3)).toThrow(MailboxOverloadError);
    expect(() => mailbox.post(() => 3)).toThrow('mailbox of room/!a:hs is full (3 messages queued)');
    release();
    await Promise.all(accepted);
    expect(mailbox.depth).toBe(0);
    await expect(mailbox.post(() => 4)).resolves.toBe(4);
  });

  it('idle() resolves once everything posted has finished', async () => {
    const mailbox = new Mailbox();
    const done: number[] = [];
    for (let i = 0; i < 5; i++) void mailbox.post(async () => {
      await tick();
      done.push(i);
    });
    await mailbox.idle();
    expect(done).toEqual([0, 1, 2, 3, 4]);
    await mailbox.idle();
  });

  it('keeps order across more messages than its compaction threshold', async () => {
    const mailbox = new Mailbox({ capacity: 5000 });
    const seen: number[] = [];
    await Promise.all(Array.from({ length: 3000 }, (_, i) => mailbox.post(() => seen.push(i))));
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
