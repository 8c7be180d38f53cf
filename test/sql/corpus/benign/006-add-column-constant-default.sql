-- New orders start unflagged; constant defaults are stored in the catalog, no rewrite.
ALTER TABLE orders ADD COLUMN is_flagged boolean NOT NULL DEFAULT false;
ALTER TABLE orders ADD COLUMN priority smallint NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
