ALTER TABLE comments VALIDATE CONSTRAINT comments_parent_id_fkey;
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_user_id_cascade_fkey;
