// Where the EDUs of inbound transactions go: the writers of the typing, receipts, presence,
// to-device and device-list streams, wherever stream_writers puts them.
import type { RemoteDeviceUpdate, RemoteSigningKeyUpdate, SendReceiptOptions } from '@homeserver/services';

export interface TypingEdu {
  readonly roomId: string;
  readonly userId: string;
  readonly typing: boolean;
}

/** A receipt as the receipts writer takes it. */
export type ReceiptEdu = SendReceiptOptions;

export interface PresenceEdu {
  readonly userId: string;
  readonly state: string;
  readonly statusMsg?: string;
  readonly lastActiveAgo?: number;
  readonly currentlyActive?: boolean;
}

export interface ToDeviceEdu {
  readonly sender: string;
  readonly type: string;
  readonly messageId: string;
  /** user ID -> device ID (or `*`) -> content. */
  readonly messages: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

export interface DeviceListEdu extends RemoteDeviceUpdate {
  readonly userId: string;
}

export interface SigningKeyEdu extends RemoteSigningKeyUpdate {
  readonly userId: string;
}

export interface EduSink {
  typing(edu: TypingEdu): Promise<void>;
  receipt(edu: ReceiptEdu): Promise<void>;
  presence(edu: PresenceEdu): Promise<void>;
  toDevice(edu: ToDeviceEdu): Promise<void>;
  deviceList(edu: DeviceListEdu): Promise<void>;
  signingKeys(edu: SigningKeyEdu): Promise<void>;
}
