-- The `page` filter asks for the sessions that viewed a page under a path prefix (`/roses`
-- matches `/roses/red`). PostgreSQL reads a prefix of LIKE as an index range only from an index
-- whose collation is "C" (byte order); under the server's usual collations (en_US.UTF-8, and
-- C.UTF-8, which it does not treat as "C"), `path LIKE '/roses%'` read every page view of the
-- site. The index the pages report looks paths up in is rebuilt in "C" order; queries that look
-- up exact paths compare with COLLATE "C" so that they still use it (equality is the same in
-- every deterministic collation). On the bench's year of a busy site (3M page views), counting
-- the year's sessions that viewed /roses took 390 ms instead of 535 ms.
DROP INDEX pageviews_path;
CREATE INDEX pageviews_path ON pageviews (site_id, path COLLATE "C", ts) INCLUDE (session_code);
