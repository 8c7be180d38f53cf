ALTER TABLE comments ADD COLUMN parent_id bigint;

ALTER TABLE comments
  ADD CONSTRAINT comments_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES comments (id) ON DELETE CASCADE NOT VALID;

ALTER TABLE sessions
  ADD CONSTRAINT sessions_user_id_cascade_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
