CREATE SCHEMA IF NOT EXISTS reporting;

CREATE TABLE reporting.kpi_snapshots (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES public.tenants (id),
  metric text NOT NULL,
  value numeric NOT NULL,
  captured_at timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW reporting.latest_kpis WITH (security_invoker = true) AS
SELECT DISTINCT ON (tenant_id, metric) tenant_id, metric, value, captured_at
FROM reporting.kpi_snapshots
ORDER BY tenant_id, metric, captured_at DESC;
