// Event reports for the admin API (Synapse's get_event_reports_paginate): each report with the
// reported event's sender and the room's name and canonical alias from current state.
import type { Queryable } from '../database.ts';

export interface AdminEventReport {
  readonly id: number;
  readonly receivedTs: number;
  readonly roomId: string;
  readonly eventId: string;
  readonly userId: string;
  readonly reason: string | null;
  readonly content: Record<string, unknown>;
  /** The reported event's sender, or null when the event is not stored (any more). */
  readonly sender: string | null;
  readonly roomName: string | null;
  readonly canonicalAlias: string | null;
  /** The reported event's PDU, when stored. */
  readonly eventJson: Record<string, unknown> | null;
}

export interface ListEventReportsOptions {
  readonly from: number;
  readonly limit: number;
  /** 'b' (default): newest first. */
  readonly dir?: 'f' | 'b';
  readonly roomId?: string;
  /** Substring of the reporting user's ID. */
  readonly userId?: string;
  /** The reported event's sender, exactly. */
  readonly eventSenderUserId?: string;
}

interface ReportDbRow {
  id: number;
  received_ts: number;
  room_id: string;
  event_id: string;
  user_id: string;
  reason: string | null;
  content: Record<string, unknown>;
  sender: string | null;
  room_name: string | null;
  canonical_alias: string | null;
  event_json: string | null;
}

const SELECT = `
  SELECT er.id, er.received_ts, er.room_id, er.event_id, er.user_id, er.reason, er.content, ev.sender, ev.json AS event_json,
    (SELECT (e.json::jsonb)->'content'->>'name' FROM current_state_events c JOIN events e USING (event_id)
      WHERE c.room_id = er.room_id AND c.type = 'm.room.name' AND c.state_key = '') AS room_name,
    (SELECT (e.json::jsonb)->'content'->>'alias' FROM current_state_events c JOIN events e USING (event_id)
      WHERE c.room_id = er.room_id AND c.type = 'm.room.canonical_alias' AND c.state_key = '') AS canonical_alias
  FROM event_reports er LEFT JOIN events ev ON ev.event_id = er.event_id`;

const toReport = (r: ReportDbRow): AdminEventReport => ({
  id: r.id,
  receivedTs: r.received_ts,
  roomId: r.room_id,
  eventId: r.event_id,
  userId: r.user_id,
  reason: r.reason,
  content: r.content,
  sender: r.sender,
  roomName: r.room_name,
  canonicalAlias: r.canonical_alias,
  eventJson: r.event_json === null ? null : (JSON.parse(r.event_json) as Record<string, unknown>),
});

export async function listEventReports(db: Queryable, options: ListEventReportsOptions): Promise<{ reports: AdminEventReport[]; total: number }> {
  const args: unknown[] = [];
  const arg = (value: unknown) => {
    args.push(value);
    return `$${args.length}`;
  };
  const filters: string[] = [];
  if (options.roomId !== undefined) filters.push(`er.room_id = ${arg(options.roomId)}`);
  if (options.userId !== undefined) filters.push(`er.user_id LIKE ${arg(`%${options.userId.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (options.eventSenderUserId !== undefined) filters.push(`ev.sender = ${arg(options.eventSenderUserId)}`);
  const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
  const order = options.dir === 'f' ? 'ASC' : 'DESC';
  const { rows: counted } = await db.query<{ total: number }>(`SELECT count(*)::int8 AS total FROM event_reports er LEFT JOIN events ev ON ev.event_id = er.event_id ${where}`, args);
  const { rows } = await db.query<ReportDbRow>(`${SELECT} ${where} ORDER BY er.received_ts ${order}, er.id ${order} LIMIT ${arg(options.limit)} OFFSET ${arg(options.from)}`, args);
  return { reports: rows.map(toReport), total: counted[0]?.total ?? 0 };
}

export async function getEventReport(db: Queryable, id: number): Promise<AdminEventReport | undefined> {
  const { rows } = await db.query<ReportDbRow>(`${SELECT} WHERE er.id = $1`, [id]);
  return rows[0] === undefined ? undefined : toReport(rows[0]);
}

export async function deleteEventReport(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM event_reports WHERE id = $1', [id])).rowCount > 0;
}
