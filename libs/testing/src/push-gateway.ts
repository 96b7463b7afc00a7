// A push gateway for tests and benchmarks: an HTTP server on 127.0.0.1 answering
// POST /_matrix/push/v1/notify as the push gateway API says, recording every notification it
// accepted. Per pushkey it can fail the next N requests (HTTP 500) or report the key rejected.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedPush {
  /** The `notification` object of the request body. */
  readonly notification: Record<string, unknown>;
  /** devices[0].pushkey. */
  readonly pushkey: string;
  /** When it was accepted (Date.now()). */
  readonly at: number;
}

export interface TestPushGateway {
  /** e.g. http://127.0.0.1:40123/_matrix/push/v1/notify */
  readonly url: string;
  /** Every push answered 200, in arrival order. */
  readonly received: readonly ReceivedPush[];
  /** Requests per pushkey, including refused ones. */
  attempts(pushkey: string): number;
  /** The next `count` requests for `pushkey` are answered 500. */
  failNext(pushkey: string, count: number): void;
  /** Requests for `pushkey` are answered 200 with `rejected: [pushkey]`. */
  reject(pushkey: string): void;
  /**
   * Requests for these pushkeys get no answer until `release()`: a pusher killed meanwhile never
   * learns they were accepted, so they do not count as received (the gateway never said 200).
   */
  hold(pushkeys: Iterable<string>): void;
  /** Requests held now (their pushkeys). */
  readonly held: readonly string[];
  /** Stops holding; held requests whose connection is still open are answered and received. */
  release(): void;
  /** Pushes accepted for `pushkey`. */
  pushesFor(pushkey: string): ReceivedPush[];
  /** Resolves once `predicate` holds for the pushes received (checked on each arrival). */
  waitFor(predicate: (received: readonly ReceivedPush[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const NOTIFY_PATH = '/_matrix/push/v1/notify';

export async function startPushGateway(): Promise<TestPushGateway> {
  const received: ReceivedPush[] = [];
  const attempts = new Map<string, number>();
  const failures = new Map<string, number>();
  const rejected = new Set<string>();
  const waiters = new Set<() => void>();
  const holding = new Set<string>();
  const held: Array<{ pushkey: string; answer: () => void }> = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== NOTIFY_PATH) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"errcode":"M_UNRECOGNIZED","error":"not a push gateway path"}');
      return;
    }
    let notification: Record<string, unknown>;
    try {
      notification = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { notification: Record<string, unknown> }).notification;
    } catch {
      response.writeHead(400).end();
      return;
    }
    const devices = notification['devices'] as Array<{ pushkey: string }> | undefined;
    const pushkey = devices?.[0]?.pushkey ?? '';
    attempts.set(pushkey, (attempts.get(pushkey) ?? 0) + 1);
    const failing = failures.get(pushkey) ?? 0;
    if (failing > 0) {
      failures.set(pushkey, failing - 1);
      response.writeHead(500, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const answer = () => {
      if (request.socket.destroyed) return;
      received.push({ notification, pushkey, at: Date.now() });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rejected: rejected.has(pushkey) ? [pushkey] : [] }));
      for (const waiter of waiters) waiter();
    };
    if (!holding.has(pushkey)) return answer();
    const entry = { pushkey, answer };
    held.push(entry);
    for (const waiter of waiters) waiter();
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}${NOTIFY_PATH}`,
    received,
    attempts: (pushkey) => attempts.get(pushkey) ?? 0,
    failNext: (pushkey, count) => failures.set(pushkey, count),
    reject: (pushkey) => rejected.add(pushkey),
    hold: (pushkeys) => {
      for (const pushkey of pushkeys) holding.add(pushkey);
    },
    get held() {
      return held.map((entry) => entry.pushkey);
    },
    release: () => {
      holding.clear();
      for (const entry of held.splice(0)) entry.answer();
    },
    pushesFor: (pushkey) => received.filter((push) => push.pushkey === pushkey),
    waitFor: (predicate, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(received)) return resolve();
        const check = () => {
          if (!predicate(received)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`push gateway: condition not met within ${timeoutMs} ms; received ${received.length} pushes: ${JSON.stringify(received.slice(-5).map((p) => ({ pushkey: p.pushkey, event_id: p.notification['event_id'], counts: p.notification['counts'] })))}`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
