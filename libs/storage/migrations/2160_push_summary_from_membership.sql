-- Unread counts of a member without a read receipt start after their latest membership event
-- (as Synapse's), no longer from the room's start: once invited users joined, their invite's
-- push stopped counting. Recounts the summaries of such members kept under the old rule.
UPDATE event_push_summary s
   SET receipt_ordering = start.ordering, notify_count = counted.notify, highlight_count = counted.highlight
  FROM (
    SELECT x.user_id, x.room_id, (SELECT max(m.stream_ordering) FROM room_memberships m WHERE m.room_id = x.room_id AND m.user_id = x.user_id) AS ordering
      FROM event_push_summary x
     WHERE NOT EXISTS (SELECT 1 FROM receipts rc WHERE rc.user_id = x.user_id AND rc.room_id = x.room_id
                          AND rc.receipt_type IN ('m.read', 'm.read.private') AND rc.thread_id IN ('', 'main'))
  ) start
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE p.notify)::int AS notify, count(*) FILTER (WHERE p.highlight)::int AS highlight
      FROM event_push_actions p
     WHERE p.user_id = start.user_id AND p.room_id = start.room_id AND p.stream_ordering > start.ordering
  ) counted
 WHERE s.user_id = start.user_id AND s.room_id = start.room_id AND start.ordering IS NOT NULL;
