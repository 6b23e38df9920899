-- Per-day counts of the visit data the reports read, for closed days in the site's time zone.
-- A year of a busy site is a million sessions and three million pageviews; their daily counts
-- are a few hundred thousand rows, which a report sums in milliseconds.
--
-- Filled by the reports themselves when they first need a closed day (query/reports/rollup-fill.ts),
-- never by ingest: a hit's rows are stamped with the time it arrived and a session's attribution
-- never changes after its first hit, so a day that has ended gets no new or changed rows, and
-- its counts can be taken once. Open days (today, and the hour after midnight while late batches
-- may still commit) are always counted live. Inquiries are never rolled up: platforms deliver
-- messages late and an inquiry's time, match and status change afterwards, and a year of them
-- is small.
--
-- Rows are keyed by the time zone the days are in: a site whose time zone changes gets new days
-- and its old ones are deleted. Rollups outlive the raw rows retention deletes: a report over a
-- period older than the retention keeps counting what was there when the day was rolled up.

-- Which days of a site (in which time zone) the tables below hold: a day with no visits is
-- filled too, and must not be filled twice.
CREATE TABLE rollup_days (
  site_id   integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  timezone  text NOT NULL,
  day       date NOT NULL,
  PRIMARY KEY (site_id, timezone, day)
);

-- Human sessions per local day of their start and attribution.
CREATE TABLE rollup_sessions (
  site_id       integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  timezone      text NOT NULL,
  day           date NOT NULL,
  traffic_type  text NOT NULL,
  source        text,
  medium        text,
  campaign      text,
  sessions      integer NOT NULL
);
CREATE INDEX rollup_sessions_day ON rollup_sessions (site_id, timezone, day)
  INCLUDE (traffic_type, source, medium, campaign, sessions);

-- Chat clicks of sessions that are not bots', per local day, messenger and the visit's
-- attribution (visit false: no session is known for the click, so only totals count it).
CREATE TABLE rollup_clicks (
  site_id       integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  timezone      text NOT NULL,
  day           date NOT NULL,
  messenger     text NOT NULL,
  visit         boolean NOT NULL,
  traffic_type  text,
  source        text,
  medium        text,
  campaign      text,
  clicks        integer NOT NULL
);
CREATE INDEX rollup_clicks_day ON rollup_clicks (site_id, timezone, day)
  INCLUDE (messenger, visit, traffic_type, source, medium, campaign, clicks);

-- The same clicks per local day, messenger, page and the visit's traffic type (null: no session
-- is known), for the pages report and its traffic type filter.
CREATE TABLE rollup_page_clicks (
  site_id       integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  timezone      text NOT NULL,
  day           date NOT NULL,
  messenger     text NOT NULL,
  page_path     text NOT NULL,
  page_title    text,                      -- max(page_title), as the pages report shows it
  traffic_type  text,
  clicks        integer NOT NULL
);
CREATE INDEX rollup_page_clicks_day ON rollup_page_clicks (site_id, timezone, day)
  INCLUDE (messenger, page_path, page_title, traffic_type, clicks);

-- Sessions that viewed a page on a local day, per the session's traffic type. A session that viewed the page on an earlier day
-- too must count once in a period holding both days: seen_before is its latest earlier view of
-- the page (null: none), and a period counts the row only when that view is before the period.
CREATE TABLE rollup_page_sessions (
  site_id       integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  timezone      text NOT NULL,
  day           date NOT NULL,
  path          text NOT NULL,
  traffic_type  text,                      -- of the session; null: none known (within a week before)
  seen_before   timestamptz,
  sessions      integer NOT NULL
);
-- By path first: the report asks for its top pages only.
CREATE INDEX rollup_page_sessions_path ON rollup_page_sessions (site_id, timezone, path, day)
  INCLUDE (traffic_type, seen_before, sessions);
