// Fenced ownership of a room by one persister instance (room_owners in libs/storage). The actor
// takes the room under a new epoch when it activates, before it reads the room, so it always
// starts from what the previous owner committed; every commit checks the epoch inside its
// transaction (persist-batch.ts), so a process that lost the room can never write to it; and
// the actor releases the room when it ends normally, so the next owner takes it at once.
import type { ActorLogger } from '@homeserver/actors';
import { releaseRoomOwnership, takeRoomOwnership, type Queryable } from '@homeserver/storage';

export interface RoomOwnership {
  readonly instanceName: string;
  readonly epoch: number;
}

export interface AcquireOptions {
  /**
   * How long to wait for another instance that holds the room without having released it (it
   * may still be draining after a placement change) before taking the room from it; the
   * epoch fences that instance out. Default: 2000 ms.
   */
  readonly waitMs?: number;
  /** Between checks of the owner row while waiting. Default: 50 ms. */
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly logger?: ActorLogger;
}

/** Takes `roomId` for `instanceName` under a new epoch, waiting (bounded) for a live other owner. */
export async function acquireRoom(db: Queryable, roomId: string, instanceName: string, options: AcquireOptions = {}): Promise<RoomOwnership> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? 2000);
  for (;;) {
    const force = now() >= deadline;
    const taken = await takeRoomOwnership(db, roomId, instanceName, { force, now: now() });
    if ('epoch' in taken) return { instanceName, epoch: taken.epoch };
    if (taken.heldBy.released) continue;
    if (force) continue;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(options.pollMs ?? 50, deadline - now()))));
    if (now() >= deadline) {
      options.logger?.warn(
        { roomId, holder: taken.heldBy.instanceName, epoch: taken.heldBy.epoch },
        'taking over a room whose owner did not release it in time; its commits are fenced out from now on',
      );
    }
  }
}

/** Gives the room up if still held at this epoch (false when another instance took it meanwhile). */
export async function releaseRoom(db: Queryable, roomId: string, ownership: RoomOwnership, now: number): Promise<boolean> {
  return releaseRoomOwnership(db, roomId, ownership.instanceName, ownership.epoch, now);
}
