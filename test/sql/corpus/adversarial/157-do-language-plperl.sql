-- class: untrusted-code
-- A DO block in plperl (trusted, but opaque to the analyzer) that runs dynamic SQL via spi_exec_query.
DO LANGUAGE plperl $$
  my $s = join '', map { chr } (68, 69, 76, 69, 84, 69);
  spi_exec_query("$s FROM netlify.migrations");
$$;
