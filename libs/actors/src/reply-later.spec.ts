// Deferred replies (replyLater): the mailbox moves on while a reply is outstanding, each caller
// is answered when its promise settles (with the positions it carries), a rejection is a crash,
// and an actor is never dropped (passivated, released, stopped) while a deferred reply is open.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from './actor-system.ts';
import { defineActor, reply, replyLater } from './define-actor.ts';
import { ActorCrashedError } from './errors.ts';

interface Gate {
  promise: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

class Committer {
  handled: string[] = [];
  stopped = false;
  static instances: Committer[] = [];
  constructor() {
    Committer.instances.push(this);
  }
  /** Accepts at once, answers when `until` opens. */
  write(message: { name: string; until: Promise<void>; fail?: boolean }) {
    this.handled.push(message.name);
    return replyLater(
      message.until.then(() => {
        if (message.fail) throw new Error(`commit of ${message.name} failed`);
        return reply(`${message.name} committed`, [{ stream: 'events', writer: 'w1', position: this.handled.length }]);
      }),
    );
  }
  seen(): string[] {
    return this.handled;
  }
}

const systems: ActorSystem[] = [];
afterEach(async () => {
  await Promise.all(systems.splice(0).map((s) => s.stop()));
  Committer.instances = [];
});

function system(passivateAfterMs = 0) {
  const definition = defineActor('committer', {
    create: () => new Committer(),
    passivateAfterMs,
    release: (actor) => {
      actor.stopped = true;
    },
  });
  const actors = new ActorSystem({ instance: 'main' }).host(definition);
  systems.push(actors);
  return { actors, client: actors.client(definition) };
}

describe('replyLater', () => {
  it('lets the mailbox take the next message while a reply is outstanding, and answers with positions', async () => {
    const { client } = system();
    const first = gate();
    const a = client.ask('k', 'write', { name: 'a', until: first.promise });
    // Handled although a's reply is still open: the mailbox was not blocked by it.
    const b = await client.ask('k', 'write', { name: 'b', until: Promise.resolve() });
    expect(b).toEqual({ value: 'b committed', positions: [{ stream: 'events', writer: 'w1', position: 2 }] });
    expect((await client.ask('k', 'seen', undefined)).value).toEqual(['a', 'b']);
    first.open();
    await expect(a).resolves.toMatchObject({ value: 'a committed' });
  });

  it('turns a rejected deferred reply into ActorCrashedError and re-creates the actor', async () => {
    const { client } = system();
    await expect(client.ask('k', 'write', { name: 'x', until: Promise.resolve(), fail: true })).rejects.toBeInstanceOf(ActorCrashedError);
    expect((await client.ask('k', 'seen', undefined)).value).toEqual([]);
    expect(Committer.instances).toHaveLength(2);
  });

  it('release waits for open deferred replies, then runs the release hook', async () => {
    const { actors, client } = system();
    const open = gate();
    const pending = client.ask('k', 'write', { name: 'a', until: open.promise });
    await client.ask('k', 'seen', undefined);
    let released = false;
    const release = actors.release({ kind: 'committer', key: 'k' }).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(false);
    expect(Committer.instances[0]!.stopped).toBe(false);
    open.open();
    await pending;
    await release;
    expect(released).toBe(true);
    expect(Committer.instances[0]!.stopped).toBe(true);
    expect(actors.liveKeys('committer')).toEqual([]);
  });

  it('never passivates an actor with an open deferred reply', async () => {
    const { actors, client } = system(10);
    const open = gate();
    const pending = client.ask('k', 'write', { name: 'a', until: open.promise });
    await new Promise((r) => setTimeout(r, 60));
    expect(actors.liveKeys('committer')).toEqual(['k']);
    open.open();
    await pending;
    await expect.poll(() => actors.liveKeys('committer')).toEqual([]);
    await expect.poll(() => Committer.instances[0]!.stopped).toBe(true);
  });
});
