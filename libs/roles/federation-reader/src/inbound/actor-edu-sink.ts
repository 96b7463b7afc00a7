// The EduSink over the stream writers' actors (role-stream-writers, hosted where
// stream_writers names), through their typed client in libs/services like any other caller.
// Remote device-list updates are not stored yet: this server keeps no cache of remote devices,
// so they are logged and dropped.
import type { ActorSystem } from '@homeserver/actors';
import { ephemeralWrites } from '@homeserver/services';
import type { Logger } from 'pino';
import type { EduSink } from './edus.ts';

export interface ActorEduSinkOptions {
  readonly logger: Logger;
  /** Default: Date.now. */
  readonly now?: () => number;
}

export function actorEduSink(actors: ActorSystem, options: ActorEduSinkOptions): EduSink {
  const now = options.now ?? Date.now;
  const writes = ephemeralWrites(actors);
  return {
    async typing(edu) {
      await writes.setTyping(edu.roomId, edu.userId, { typing: edu.typing });
    },
    async receipt(receipt) {
      await writes.sendReceipt(receipt);
    },
    async presence(edu) {
      const lastActive = now() - (edu.lastActiveAgo ?? 0);
      await writes.setPresence(edu.userId, { state: edu.state, ...(edu.statusMsg === undefined ? {} : { statusMsg: edu.statusMsg }), now: lastActive });
    },
    async toDevice(edu) {
      // Deduplicated per (sender, device, txn) by the writer: the message ID plays the txn ID.
      await writes.sendToDevice({ sender: edu.sender, senderDevice: '', txnId: edu.messageId, type: edu.type, messages: edu.messages, now: now() });
    },
    async deviceList(edu) {
      options.logger.debug({ userId: edu.userId, deviceId: edu.deviceId }, 'remote device list update dropped: remote devices are not cached here');
    },
  };
}
