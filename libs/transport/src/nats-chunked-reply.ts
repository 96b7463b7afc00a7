// Replies larger than one NATS message (the server's max_payload, 1 MiB by default; a send_join
// answer carrying a big room's state passes it). The responder keeps the reply, cut in chunks,
// behind a one-off subject and answers the request with that subject's name and the chunk
// count only (a header); the requester asks that subject once and gets every chunk back, in
// order (one publisher to one subscriber: NATS keeps their order; each chunk names its index
// all the same). Replies that fit in one message go as before, in one round trip.
import { Empty, headers, nuid, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { RequestTimeoutError, TransportError } from './errors.ts';
import { plainBytes } from './plain-bytes.ts';

/** On a reply with no body: `<subject> <chunk count>` to fetch the reply from. */
export const CHUNKED_HEADER = 'Hs-Chunked';
const INDEX_HEADER = 'Hs-Chunk';
/** Left in each message for its headers and the protocol line. */
const HEADER_ROOM = 4096;
/** How long a responder holds chunks nobody fetched (the requester gave up). */
const HOLD_MS = 60_000;

export interface ChunkedReplyOptions {
  /** The deployment's subject prefix. */
  readonly prefix: string;
  readonly maxPayloadBytes: number;
}

/** Whether `reply` needs more than one message. */
export function needsChunks(reply: Uint8Array, maxPayloadBytes: number): boolean {
  return reply.byteLength > maxPayloadBytes - HEADER_ROOM;
}

/** Answers `msg` with `reply` in chunks, fetched by the requester from a one-off subject. */
export async function respondInChunks(nc: NatsConnection, msg: Msg, reply: Uint8Array, options: ChunkedReplyOptions): Promise<void> {
  const size = options.maxPayloadBytes - HEADER_ROOM;
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < reply.byteLength; at += size) chunks.push(reply.subarray(at, at + size));
  const subject = `${options.prefix}.chunks.${nuid.next()}`;
  const subscription = nc.subscribe(subject, {
    max: 1,
    callback: (error, fetch) => {
      clearTimeout(timer);
      if (error) return;
      for (const [index, chunk] of chunks.entries()) {
        const chunkHeaders = headers();
        chunkHeaders.set(INDEX_HEADER, String(index));
        fetch.respond(chunk, { headers: chunkHeaders });
      }
    },
  });
  // Read by the callback, which cannot run before the request below is answered.
  const timer = setTimeout(() => subscription.unsubscribe(), HOLD_MS);
  timer.unref();
  // The server must know the subscription before the requester can ask it.
  await nc.flush();
  const marker = headers();
  marker.set(CHUNKED_HEADER, `${subject} ${chunks.length}`);
  msg.respond(Empty, { headers: marker });
}

/** Fetches and joins the chunks a CHUNKED_HEADER names; fails when they do not all come within `timeoutMs`. */
export async function fetchChunks(nc: NatsConnection, requestSubject: string, marker: string, timeoutMs: number): Promise<Uint8Array> {
  const [subject, countText] = marker.split(' ');
  const count = Number(countText);
  if (subject === undefined || !Number.isSafeInteger(count) || count < 1) throw new TransportError(`request on ${requestSubject}: malformed chunked reply marker ${JSON.stringify(marker)}`);
  const parts: Uint8Array[] = [];
  const replies = await nc.requestMany(subject, Empty, { strategy: 'count', maxMessages: count, maxWait: Math.max(1, timeoutMs) });
  for await (const reply of replies) {
    if (Number(reply.headers?.get(INDEX_HEADER)) !== parts.length) throw new TransportError(`request on ${requestSubject}: chunk ${reply.headers?.get(INDEX_HEADER)} came out of order`);
    parts.push(plainBytes(reply.data));
  }
  if (parts.length !== count) throw new RequestTimeoutError(requestSubject, timeoutMs);
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}
