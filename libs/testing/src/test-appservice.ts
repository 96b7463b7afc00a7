// An application service for tests and benchmarks: an HTTP server on 127.0.0.1 answering
// PUT /_matrix/app/v1/transactions/{txnId} as the application service API says (checking the
// hs_token in the Authorization header), recording every transaction it accepted. It can be
// "down" (answering 503), and it answers user, alias and ping queries 404/200 as told.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedTransaction {
  readonly txnId: string;
  readonly events: ReadonlyArray<Record<string, unknown>>;
  readonly ephemeral: ReadonlyArray<Record<string, unknown>>;
  /** When it was accepted (Date.now()). */
  readonly at: number;
}

export interface TestAppservice {
  /** e.g. http://127.0.0.1:40123 (the registration's url). */
  readonly url: string;
  /** Accepted transactions in arrival order (a txnId the appservice saw before is answered, not recorded again). */
  readonly transactions: readonly ReceivedTransaction[];
  /** Every event of the accepted transactions, in order. */
  events(): Array<Record<string, unknown>>;
  /** Transaction requests, refused ones included. */
  readonly attempts: number;
  /** Requests the appservice refused for a wrong hs_token. */
  readonly unauthorised: number;
  /** Down: every request is answered 503. */
  setDown(down: boolean): void;
  /** Other requests (queries, ping, thirdparty), as `METHOD path`. */
  readonly queries: readonly string[];
  /** Answers GET/POST `path` (below /_matrix/app/v1) with this status and body instead of 404. */
  answer(path: string, status: number, body: unknown): void;
  waitFor(predicate: (self: TestAppservice) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestAppservice(options: { hsToken: string; port?: number }): Promise<TestAppservice> {
  const transactions: ReceivedTransaction[] = [];
  const seen = new Set<string>();
  const queries: string[] = [];
  const answers = new Map<string, { status: number; body: unknown }>();
  const waiters = new Set<() => void>();
  let down = false;
  let attempts = 0;
  let unauthorised = 0;

  const reply = (response: ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (down) return reply(response, 503, { errcode: 'M_UNKNOWN', error: 'down for the test' });
    if (request.headers.authorization !== `Bearer ${options.hsToken}`) {
      unauthorised++;
      return reply(response, 403, { errcode: 'M_FORBIDDEN', error: 'bad hs_token' });
    }
    const txn = /^\/_matrix\/app\/v1\/transactions\/([^/]+)$/.exec(path);
    if (request.method === 'PUT' && txn) {
      attempts++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: Array<Record<string, unknown>>; ephemeral?: Array<Record<string, unknown>> };
      const txnId = decodeURIComponent(txn[1]!);
      if (!seen.has(txnId)) {
        seen.add(txnId);
        transactions.push({ txnId, events: body.events ?? [], ephemeral: body.ephemeral ?? [], at: Date.now() });
        for (const waiter of waiters) waiter();
      }
      return reply(response, 200, {});
    }
    queries.push(`${request.method} ${path}`);
    const canned = answers.get(path.replace(/^\/_matrix\/app\/v1/, ''));
    if (canned) return reply(response, canned.status, canned.body);
    return reply(response, 404, { errcode: 'M_NOT_FOUND', error: 'nothing here' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const self: TestAppservice = {
    url: `http://127.0.0.1:${port}`,
    transactions,
    events: () => transactions.flatMap((t) => t.events),
    get attempts() {
      return attempts;
    },
    get unauthorised() {
      return unauthorised;
    },
    setDown: (value) => {
      down = value;
    },
    queries,
    answer: (path, status, body) => answers.set(path, { status, body }),
    waitFor: (predicate, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(self)) return resolve();
        const check = () => {
          if (!predicate(self)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`test appservice: condition not met within ${timeoutMs} ms; ${transactions.length} transactions, last events: ${JSON.stringify(self.events().slice(-5).map((e) => [e['type'], e['event_id']]))}`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return self;
}

/** A registration file's text (Synapse's format) for `startTestAppservice` or a bridge. */
export function appserviceRegistrationYaml(options: { id: string; url: string | null; asToken: string; hsToken: string; senderLocalpart: string; users?: string; aliases?: string; rooms?: string; receiveEphemeral?: boolean; rateLimited?: boolean; protocols?: readonly string[] }): string {
  const ns = (regex: string | undefined) => (regex === undefined ? '[]' : `\n    - exclusive: true\n      regex: ${JSON.stringify(regex)}`);
  return [
    `id: ${JSON.stringify(options.id)}`,
    `url: ${options.url === null ? 'null' : JSON.stringify(options.url)}`,
    `as_token: ${JSON.stringify(options.asToken)}`,
    `hs_token: ${JSON.stringify(options.hsToken)}`,
    `sender_localpart: ${JSON.stringify(options.senderLocalpart)}`,
    `rate_limited: ${options.rateLimited ?? false}`,
    `receive_ephemeral: ${options.receiveEphemeral ?? false}`,
    `protocols: ${JSON.stringify(options.protocols ?? [])}`,
    'namespaces:',
    `  users: ${ns(options.users)}`,
    `  aliases: ${ns(options.aliases)}`,
    `  rooms: ${ns(options.rooms)}`,
    '',
  ].join('\n');
}
