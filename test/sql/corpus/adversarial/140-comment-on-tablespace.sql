-- class: comment-security-label
-- Comments on the default tablespace and on a role from inside a DO block: writes to shared catalogs seen from every database.
DO $$
BEGIN
  COMMENT ON TABLESPACE pg_default IS 'managed by schemagate';
  COMMENT ON ROLE migrator IS 'rotated 2024-06';
END
$$;
