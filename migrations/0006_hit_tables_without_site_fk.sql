-- Sessions and visitors lose their foreign key to sites, as the append-only tables (pageviews,
-- chat clicks, events) never had one. Both are written on the hit path, where each new row's
-- check (a trigger that looks the site up and locks its row) cost PostgreSQL ~9% of its CPU a hit
-- in bench:ingest's mix (paired store-only runs: 75 -> 68 µs). Hits name only sites the collector
-- has looked up, and the application never deletes a site; removing one by hand now means
-- deleting its rows from these tables too, as from the append-only ones.
ALTER TABLE sessions DROP CONSTRAINT sessions_site_id_fkey;
ALTER TABLE visitors DROP CONSTRAINT visitors_site_id_fkey;
