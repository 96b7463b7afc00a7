// Where media lives under media_store_path, in Synapse's layout (synapse/media/filepath.py), so an
// admin can point this server at an existing Synapse media store: local_content/ab/cd/rest,
// local_thumbnails/ab/cd/rest/W-H-top-sub-method, remote_content/origin/ab/cd/rest. Every path
// component is checked first: a media ID or server name that could leave the store (`..`, `/`)
// never reaches the file system.
import { randomInt } from 'node:crypto';
import { join } from 'node:path';

/** Media IDs this server accepts: Synapse's are 24 letters; other servers' use URL-safe characters. */
const MEDIA_ID = /^[A-Za-z0-9_-]{1,255}$/;
/** A server name as the spec's grammar allows (host or IP literal, optional port). */
const SERVER_NAME = /^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,255})(:[0-9]{1,5})?$/;

export function isValidMediaId(mediaId: string): boolean {
  return MEDIA_ID.test(mediaId);
}

export function isValidServerName(serverName: string): boolean {
  if (!SERVER_NAME.test(serverName)) return false;
  // A DNS name has no empty labels (so no `..`, no leading or trailing dot); IP literals pass as matched.
  return serverName.startsWith('[') || serverName.split(':')[0]!.split('.').every((label) => label !== '');
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A fresh media ID: 24 random letters, as Synapse makes them (~137 bits). */
export function newMediaId(): string {
  let id = '';
  for (let i = 0; i < 24; i += 1) id += LETTERS[randomInt(LETTERS.length)];
  return id;
}

function split(mediaId: string): [string, string, string] {
  if (!isValidMediaId(mediaId)) throw new RangeError(`media ID ${JSON.stringify(mediaId)} is not made of letters, digits, - and _`);
  // Synapse's split; IDs shorter than 5 characters (other servers) keep the empty tail Synapse gives them.
  return [mediaId.slice(0, 2), mediaId.slice(2, 4), mediaId.slice(4)];
}

export interface ThumbnailFileKey {
  readonly width: number;
  readonly height: number;
  /** e.g. image/png */
  readonly type: string;
  readonly method: string;
  readonly animated: boolean;
}

/** Synapse's thumbnail file name: `32-32-image-png-crop` (animated ones end in `-animated`, which Synapse never writes). */
export function thumbnailFileName(key: ThumbnailFileKey): string {
  const [top, sub] = key.type.split('/');
  return `${key.width}-${key.height}-${top}-${sub}-${key.method}${key.animated ? '-animated' : ''}`;
}

export class MediaPaths {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  localContent(mediaId: string): string {
    return join(this.root, 'local_content', ...split(mediaId));
  }

  localThumbnailDir(mediaId: string): string {
    return join(this.root, 'local_thumbnails', ...split(mediaId));
  }

  localThumbnail(mediaId: string, key: ThumbnailFileKey): string {
    return join(this.localThumbnailDir(mediaId), thumbnailFileName(key));
  }

  remoteContent(origin: string, filesystemId: string): string {
    if (!isValidServerName(origin)) throw new RangeError(`server name ${JSON.stringify(origin)} is not a valid server name`);
    return join(this.root, 'remote_content', origin, ...split(filesystemId));
  }

  remoteThumbnailDir(origin: string, filesystemId: string): string {
    if (!isValidServerName(origin)) throw new RangeError(`server name ${JSON.stringify(origin)} is not a valid server name`);
    return join(this.root, 'remote_thumbnail', origin, ...split(filesystemId));
  }

  /** Where uploads are written before they have a media ID; same file system as the store, so rename is atomic. */
  get uploadsInProgress(): string {
    return join(this.root, 'uploads_in_progress');
  }
}
