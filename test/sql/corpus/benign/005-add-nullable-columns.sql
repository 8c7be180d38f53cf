-- Users can set a display name and an avatar; both optional.
ALTER TABLE users ADD COLUMN display_name text;
ALTER TABLE users ADD COLUMN avatar_url text;
ALTER TABLE tenants ADD COLUMN support_email text;
