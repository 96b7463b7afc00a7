// Requests made through the SDK's HTTP layer (so they pass the spec-checking fetch) but without
// its send queue, which would serialise messages and hide concurrency from the server.
import { randomUUID } from 'node:crypto';
import { MatrixError, Method, type MatrixClient } from 'matrix-js-sdk';

/** PUT /rooms/{roomId}/send/m.room.message/{txnId}; returns the event ID. */
export async function sendRawMessage(client: MatrixClient, roomId: string, body: string): Promise<string> {
  const path = `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`;
  const response = await client.http.authedRequest<{ event_id: string }>(Method.Put, path, undefined, { msgtype: 'm.text', body });
  return response.event_id;
}

/** Runs `make(i)` for i in [0, count) with at most `concurrency` in flight; results in index order. */
export async function inBatches<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      results[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Awaits `request` and returns the status and errcode it failed with (200 and a marker if it succeeded). */
export async function matrixErrorOf(request: Promise<unknown>): Promise<{ status: number; errcode: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof MatrixError) return { status: error.httpStatus ?? 0, errcode: error.errcode ?? '' };
    throw error;
  }
  return { status: 200, errcode: '(the request succeeded)' };
}
