-- Unread counts as a key lookup (issue 14): per user and room, how many of the user's push
-- actions (event_push_actions) notify and highlight after their latest read receipt (m.read or
-- m.read.private, unthreaded or main thread). Kept in the transaction that stores push actions
-- and in the one that moves a read receipt; /sync used to count the actions since the receipt
-- on every answer, a scan that grew with every unread message.
CREATE TABLE IF NOT EXISTS event_push_summary (
  user_id text NOT NULL,
  room_id text NOT NULL,
  -- The stream_ordering the counts start after (0: no receipt). NULL: a receipt names an event
  -- this server has no ordering for yet; readers count the actions themselves then.
  receipt_ordering int8,
  notify_count int NOT NULL,
  highlight_count int NOT NULL,
  -- The newest action counted (0: none). A sync whose window ends below it counts the actions
  -- itself: the summary already holds events that sync does not show.
  last_ordering int8 NOT NULL,
  PRIMARY KEY (user_id, room_id)
);

-- The counts of the actions stored before this table existed.
INSERT INTO event_push_summary (user_id, room_id, receipt_ordering, notify_count, highlight_count, last_ordering)
SELECT pairs.user_id, pairs.room_id, receipt.ordering,
       count(p.event_id) FILTER (WHERE p.notify), count(p.event_id) FILTER (WHERE p.highlight), COALESCE(max(p.stream_ordering), 0)
  FROM (SELECT DISTINCT user_id, room_id FROM event_push_actions) pairs
  LEFT JOIN LATERAL (
    SELECT CASE WHEN bool_or(COALESCE(rc.event_stream_ordering, e.stream_ordering) IS NULL) THEN NULL
                ELSE COALESCE(max(COALESCE(rc.event_stream_ordering, e.stream_ordering)), 0) END AS ordering
      FROM receipts rc LEFT JOIN events e ON e.event_id = rc.event_id
     WHERE rc.user_id = pairs.user_id AND rc.room_id = pairs.room_id AND rc.receipt_type IN ('m.read', 'm.read.private')
       AND rc.thread_id IN ('', 'main')
  ) receipt ON true
  LEFT JOIN event_push_actions p ON p.user_id = pairs.user_id AND p.room_id = pairs.room_id
       AND p.stream_ordering > COALESCE(receipt.ordering, 0)
 GROUP BY pairs.user_id, pairs.room_id, receipt.ordering
ON CONFLICT DO NOTHING;
