CREATE TABLE IF NOT EXISTS currencies (
  code char(3) PRIMARY KEY,
  name text NOT NULL,
  minor_units smallint NOT NULL DEFAULT 2
);

INSERT INTO currencies (code, name, minor_units) VALUES
  ('EUR', 'Euro', 2),
  ('USD', 'US Dollar', 2),
  ('JPY', 'Yen', 0),
  ('GBP', 'Pound Sterling', 2)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, minor_units = EXCLUDED.minor_units;
