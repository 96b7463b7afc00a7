// Synapse's event reports admin API (/v1/event_reports): the reports users filed with
// POST /rooms/{roomId}/report/{eventId}, paged newest first, shown with the event, deleted.
import { invalidParam, notFound } from '@homeserver/http';
import { deleteEventReport, getEventReport, listEventReports, type AdminEventReport } from '@homeserver/storage';
import type { FastifyInstance } from 'fastify';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoute, intQuery, logAdminAction, pagingQuery } from './admin-route.ts';

function reportJson(r: AdminEventReport): Record<string, unknown> {
  const score = r.content['score'];
  return {
    id: r.id,
    received_ts: r.receivedTs,
    room_id: r.roomId,
    name: r.roomName,
    event_id: r.eventId,
    user_id: r.userId,
    reason: r.reason,
    score: typeof score === 'number' ? score : null,
    sender: r.sender,
    canonical_alias: r.canonicalAlias,
  };
}

const idParams = { type: 'object', required: ['reportId'], properties: { reportId: { type: 'string' } } } as const;

function reportId(raw: string): number {
  if (!/^[0-9]{1,15}$/.test(raw)) throw invalidParam('The report_id parameter must be a string representing a positive integer.');
  return Number(raw);
}

export function registerEventReportRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { db, auth } = deps;
  adminRoute<{ Querystring: { from?: string; limit?: string; dir?: 'f' | 'b'; room_id?: string; user_id?: string; event_sender_user_id?: string } }>(
    app,
    auth,
    'GET',
    '/_synapse/admin/v1/event_reports',
    {
      querystring: {
        type: 'object',
        properties: { ...pagingQuery, dir: { type: 'string', enum: ['f', 'b'] }, room_id: { type: 'string' }, user_id: { type: 'string' }, event_sender_user_id: { type: 'string' } },
      },
    },
    async (request) => {
      const q = request.query;
      const from = intQuery(q.from, 0);
      const limit = intQuery(q.limit, 100);
      const { reports, total } = await listEventReports(db, {
        from,
        limit,
        dir: q.dir ?? 'b',
        ...(q.room_id === undefined ? {} : { roomId: q.room_id }),
        ...(q.user_id === undefined ? {} : { userId: q.user_id }),
        ...(q.event_sender_user_id === undefined ? {} : { eventSenderUserId: q.event_sender_user_id }),
      });
      const body: Record<string, unknown> = { event_reports: reports.map(reportJson), total };
      if (from + limit < total) body['next_token'] = from + reports.length;
      return body;
    },
  );

  adminRoute<{ Params: { reportId: string } }>(app, auth, 'GET', '/_synapse/admin/v1/event_reports/:reportId', { params: idParams }, async (request) => {
    const report = await getEventReport(db, reportId(request.params.reportId));
    if (report === undefined) throw notFound('Event report not found');
    return { ...reportJson(report), event_json: report.eventJson };
  });

  adminRoute<{ Params: { reportId: string } }>(app, auth, 'DELETE', '/_synapse/admin/v1/event_reports/:reportId', { params: idParams }, async (request, admin) => {
    const id = reportId(request.params.reportId);
    logAdminAction(request, admin, 'delete event report', { report_id: id });
    if (!(await deleteEventReport(db, id))) throw notFound('Event report not found');
    return {};
  });
}
