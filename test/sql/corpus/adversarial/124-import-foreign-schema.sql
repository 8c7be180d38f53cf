-- class: external-connection
-- Imports the control plane database's schema as foreign tables through a loopback server, exposing agent tokens to the app.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'postgres');
CREATE USER MAPPING FOR PUBLIC SERVER loopback OPTIONS (user 'postgres');
CREATE SCHEMA control;
IMPORT FOREIGN SCHEMA public FROM SERVER loopback INTO control;
