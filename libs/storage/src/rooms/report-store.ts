// Content reports from users (POST /rooms/{roomId}/report/{eventId}, /rooms/{roomId}/report,
// /users/{userId}/report), kept for the server's admins as Synapse keeps them.
import type { Queryable } from '../database.ts';

export interface EventReport {
  readonly roomId: string;
  readonly eventId: string;
  /** The reporting user. */
  readonly userId: string;
  readonly reason: string | undefined;
  /** The whole request body. */
  readonly content: Readonly<Record<string, unknown>>;
  readonly receivedTs: number;
}

export interface RoomReport {
  readonly roomId: string;
  readonly userId: string;
  readonly reason: string;
  readonly receivedTs: number;
}

export interface UserReport {
  readonly targetUserId: string;
  readonly userId: string;
  readonly reason: string;
  readonly receivedTs: number;
}

export async function insertEventReport(db: Queryable, report: EventReport): Promise<void> {
  await db.query('INSERT INTO event_reports (received_ts, room_id, event_id, user_id, reason, content) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
    report.receivedTs,
    report.roomId,
    report.eventId,
    report.userId,
    report.reason ?? null,
    JSON.stringify(report.content),
  ]);
}

export async function insertRoomReport(db: Queryable, report: RoomReport): Promise<void> {
  await db.query('INSERT INTO room_reports (received_ts, room_id, user_id, reason) VALUES ($1, $2, $3, $4)', [report.receivedTs, report.roomId, report.userId, report.reason]);
}

export async function insertUserReport(db: Queryable, report: UserReport): Promise<void> {
  await db.query('INSERT INTO user_reports (received_ts, target_user_id, user_id, reason) VALUES ($1, $2, $3, $4)', [
    report.receivedTs,
    report.targetUserId,
    report.userId,
    report.reason,
  ]);
}
