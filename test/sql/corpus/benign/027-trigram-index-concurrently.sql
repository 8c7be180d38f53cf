-- Fuzzy search on ticket subjects.
CREATE INDEX CONCURRENTLY IF NOT EXISTS tickets_subject_trgm_idx
  ON tickets USING gin (subject gin_trgm_ops);
