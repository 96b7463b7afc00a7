// The EduSink over the stream writers' actors (role-stream-writers, hosted where
// stream_writers names), through their typed client in libs/services like any other caller.
// Remote device-list and signing-key updates go to the remote user's device list actor (kind
// `remote_device_list`), which keeps our cache of them.
import type { ActorSystem } from '@homeserver/actors';
import { ephemeralWrites, remoteDeviceLists } from '@homeserver/services';
import type { EduSink } from './edus.ts';

export interface ActorEduSinkOptions {
  /** Default: Date.now. */
  readonly now?: () => number;
}

export function actorEduSink(actors: ActorSystem, options: ActorEduSinkOptions = {}): EduSink {
  const now = options.now ?? Date.now;
  const writes = ephemeralWrites(actors);
  const deviceLists = remoteDeviceLists(actors);
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
    async deviceList({ userId, ...update }) {
      await deviceLists.update(userId, update);
    },
    async signingKeys({ userId, ...update }) {
      await deviceLists.signingKeys(userId, update);
    },
  };
}
