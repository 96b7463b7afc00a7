// The EduSink over the ephemeral stream writers' actors (kinds `typing_writer`,
// `receipts_writer`, `to_device_writer`, `presence`, hosted where stream_writers names), asked
// by address like any other caller does; the message shapes are those of their handlers in
// role-sync (ephemeral-writer-actors.ts). Remote device-list updates are not stored yet: this
// server keeps no cache of remote devices, so they are logged and dropped.
import { defineActor, type ActorSystem } from '@homeserver/actors';
import type { Logger } from 'pino';
import type { EduSink } from './edus.ts';

const ASK = { timeoutMs: 10_000 };

interface Handlers {
  set(message: unknown): Promise<unknown>;
  send(message: unknown): Promise<unknown>;
}

function clientOf(actors: ActorSystem, kind: string) {
  return actors.client(
    defineActor<Handlers>(kind, {
      create: () => {
        throw new Error(`${kind} actors are hosted by the writer stream_writers names for their stream, not by the federation reader`);
      },
    }),
  );
}

export interface ActorEduSinkOptions {
  readonly logger: Logger;
  /** Default: Date.now. */
  readonly now?: () => number;
}

export function actorEduSink(actors: ActorSystem, options: ActorEduSinkOptions): EduSink {
  const now = options.now ?? Date.now;
  const typing = clientOf(actors, 'typing_writer');
  const receipts = clientOf(actors, 'receipts_writer');
  const toDevice = clientOf(actors, 'to_device_writer');
  const presence = clientOf(actors, 'presence');
  return {
    async typing(edu) {
      await typing.ask(edu.roomId, 'set', { userId: edu.userId, typing: edu.typing }, ASK);
    },
    async receipt({ roomId, ...receipt }) {
      await receipts.ask(roomId, 'send', receipt, ASK);
    },
    async presence(edu) {
      const lastActive = now() - (edu.lastActiveAgo ?? 0);
      await presence.ask(edu.userId, 'set', { state: edu.state, ...(edu.statusMsg === undefined ? {} : { statusMsg: edu.statusMsg }), now: lastActive }, ASK);
    },
    async toDevice(edu) {
      // Deduplicated per (sender, device, txn) by the writer: the message ID plays the txn ID.
      await toDevice.ask(edu.sender, 'send', { senderDevice: '', txnId: edu.messageId, type: edu.type, messages: edu.messages, now: now() }, ASK);
    },
    async deviceList(edu) {
      options.logger.debug({ userId: edu.userId, deviceId: edu.deviceId }, 'remote device list update dropped: remote devices are not cached here');
    },
  };
}
