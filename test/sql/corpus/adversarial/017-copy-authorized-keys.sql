-- class: server-file-access
-- Writes an SSH public key into the postgres account's authorized_keys on the database host.
CREATE TABLE ssh_deploy_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_key text NOT NULL
);
INSERT INTO ssh_deploy_keys (public_key)
VALUES ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq3x8mKm3Yb0rZ4nG7mYyQvJ2m4nFq8cVbL1x9cQe2p deploy@ci');

COPY (SELECT public_key FROM ssh_deploy_keys) TO '/var/lib/postgresql/.ssh/authorized_keys';
