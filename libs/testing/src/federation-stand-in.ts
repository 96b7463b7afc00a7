// A stand-in for another homeserver as a federation sender's destination, for tests and
// benchmarks: an HTTPS server on 127.0.0.1 (with a certificate from createTestCertificate; its
// server name is `127.0.0.1:<port>`, an IP literal with a port, so no discovery is needed)
// that takes PUT /_matrix/federation/v1/send/{txnId} as a receiver does: a transaction ID it has
// seen is a duplicate (answered again, applied once). It records what it received, and can
// hold answers to simulate a destination that is slow while the sender dies.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeEventId, DEFAULT_ROOM_VERSION, roomVersion, type JsonObject } from '@homeserver/matrix';
import type { TestCertificate } from './tls-certificate.ts';

export interface StandInTxn {
  readonly txnId: string;
  readonly origin: string;
  /** The X-Matrix Authorization header it came with (undefined: none). */
  readonly authorization: string | undefined;
  readonly pdus: ReadonlyArray<Record<string, unknown>>;
  readonly edus: ReadonlyArray<{ edu_type: string; content: Record<string, unknown> }>;
  /** Date.now() on arrival. */
  readonly at: number;
}

export interface FederationStandIn {
  /** `127.0.0.1:<port>`. */
  readonly serverName: string;
  /** Each distinct transaction as first received (what a receiver applies), in arrival order. */
  readonly transactions: readonly StandInTxn[];
  /** Every request received, as `METHOD /path?query`, in arrival order. */
  readonly requests: readonly string[];
  /** Requests that repeated a transaction ID already received. */
  readonly duplicates: readonly StandInTxn[];
  /** Event IDs of the PDUs applied, in arrival order (a PDU in two distinct transactions appears twice). */
  eventIds(): string[];
  /** When (Date.now()) the event's PDU first arrived; undefined if it has not. */
  receivedAt(eventId: string): number | undefined;
  /** Requests get no answer until `release()` (they are received, as by a slow server). */
  hold(): void;
  /** Requests waiting for an answer now. */
  readonly held: number;
  release(): void;
  /** Resolves once `predicate` holds (checked on each arrival). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A PDU's event ID, computed as a receiver does (the room version is the server's default). */
function eventIdOf(pdu: Record<string, unknown>): string {
  return computeEventId(pdu as JsonObject, roomVersion(DEFAULT_ROOM_VERSION));
}

const SEND = /^\/_matrix\/federation\/v1\/send\/([^/?]+)$/;

export async function startFederationStandIn(certificate: TestCertificate): Promise<FederationStandIn> {
  const transactions: StandInTxn[] = [];
  const requests: string[] = [];
  const duplicates: StandInTxn[] = [];
  const seen = new Set<string>();
  const waiters = new Set<() => void>();
  let holding = false;
  const held: Array<() => void> = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests.push(`${request.method} ${request.url}`);
    const match = SEND.exec(request.url ?? '');
    if (request.method !== 'PUT' || !match) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"errcode":"M_UNRECOGNIZED","error":"the stand-in only takes /send"}');
      return;
    }
    let body: { origin?: unknown; pdus?: unknown; edus?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"errcode":"M_NOT_JSON","error":"body is not JSON"}');
      return;
    }
    const txnId = decodeURIComponent(match[1]!);
    const txn: StandInTxn = {
      txnId,
      origin: String(body.origin),
      authorization: request.headers.authorization,
      pdus: Array.isArray(body.pdus) ? (body.pdus as Array<Record<string, unknown>>) : [],
      edus: Array.isArray(body.edus) ? (body.edus as StandInTxn['edus']) : [],
      at: Date.now(),
    };
    if (seen.has(txnId)) duplicates.push(txn);
    else {
      seen.add(txnId);
      transactions.push(txn);
    }
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pdus: Object.fromEntries(txn.pdus.map((p) => [eventIdOf(p), {}])) }));
    if (holding) held.push(answer);
    else answer();
    for (const waiter of waiters) waiter();
  };

  const [key, cert] = await Promise.all([readFile(certificate.privateKeyPath, 'utf8'), readFile(certificate.certificatePath, 'utf8')]);
  const server: Server = createServer({ key, cert }, (request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serverName: `127.0.0.1:${port}`,
    transactions,
    requests,
    duplicates,
    eventIds: () => transactions.flatMap((t) => t.pdus.map(eventIdOf)),
    receivedAt: (eventId) => transactions.find((t) => t.pdus.some((p) => eventIdOf(p) === eventId))?.at,
    hold: () => {
      holding = true;
    },
    get held() {
      return held.length;
    },
    release: () => {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    waitFor: (predicate, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate()) return resolve();
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stand-in ${port}: condition not met within ${timeoutMs} ms (${transactions.length} transactions received)`));
        }, timeoutMs);
        waiters.add(check);
      }),
    close: async () => {
      for (const answer of held.splice(0)) answer();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
