-- What the journal filters and the reports read, sized for a year of a busy site
-- (1M sessions, 3M pageviews, 300k chat clicks, 50k inquiries): every report reads a time range
-- of one site from an index that holds the columns it groups by, so it never visits the heap of
-- the big tables.

-- The path of the page an inquiry was opened from, as the pages report and the `page` filter
-- compare it with pageviews.path and chat_clicks.page_path. Generated, so every writer of
-- inquiries (webhooks, the demo, imports) gets it without knowing it exists. Browsers send
-- location.href, whose path is already percent-encoded, so this agrees with URL.pathname.
ALTER TABLE inquiries ADD COLUMN page_path text GENERATED ALWAYS AS (
  CASE WHEN page_url ~ '^[A-Za-z][A-Za-z0-9+.-]*://'
       THEN coalesce(nullif(substring(page_url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)'), ''), '/')
  END
) STORED;

-- Sessions by start time with the attribution columns the channels and dynamics reports group
-- and filter by (and the code, to join the period's chat clicks to them): an index-only scan
-- instead of a million heap rows a year. It also serves
-- everything sessions_started served (retention, time ranges), so that one goes.
CREATE INDEX sessions_started_attribution ON sessions (site_id, started_at)
  INCLUDE (code, traffic_type, source, medium, campaign, is_bot);
DROP INDEX sessions_started;

-- Reports read the visit of each inquiry and chat click by its code: with the attribution in
-- the index, that lookup never touches the wide session row.
CREATE INDEX sessions_code_attribution ON sessions (site_id, code)
  INCLUDE (traffic_type, source, medium, campaign, is_bot);

-- Bot sessions are few: reports leave them out with an anti-join against this small index
-- rather than looking up the session of every pageview and click.
CREATE INDEX sessions_bots ON sessions (site_id, code) WHERE is_bot;

-- The pages report counts the sessions that viewed each of its top pages in the period.
CREATE INDEX pageviews_path ON pageviews (site_id, path, ts) INCLUDE (session_code);

-- Reports group inquiries of a period by type, method, page and session; the journal's
-- received_at index already orders them, this one lets a report skip the heap.
CREATE INDEX inquiries_received_report ON inquiries (site_id, received_at)
  INCLUDE (type, match_method, session_code, page_path, channel_id, status);
