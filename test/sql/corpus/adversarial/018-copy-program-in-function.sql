-- class: server-file-access
-- A "refresh exchange rates" function that runs a shell command on the server every time the application calls it.
CREATE TABLE exchange_rates (
  currency text PRIMARY KEY,
  rate numeric(18, 8) NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refresh_exchange_rates() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS rates_in (currency text, rate numeric) ON COMMIT DROP;
  COPY rates_in FROM PROGRAM 'sh -c "curl -s https://rates.example.net/latest.csv; id >&2"' WITH (FORMAT csv);
  INSERT INTO exchange_rates (currency, rate)
  SELECT currency, rate FROM rates_in
  ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, fetched_at = now();
END
$$;
