-- class: security-definer
-- A SECURITY DEFINER trigger function that copies every new session token into a table app_user can read later.
CREATE TABLE session_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint,
  detail text,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION sessions_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
  INSERT INTO session_events (user_id, detail) VALUES (NEW.user_id, NEW.token);
  RETURN NEW;
END
$$;

CREATE TRIGGER sessions_log AFTER INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_log();
