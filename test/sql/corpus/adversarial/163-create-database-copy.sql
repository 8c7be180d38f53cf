-- class: cluster-object
-- Clones production into a new database owned by the application role, where no RLS or audit applies.
CREATE DATABASE app_staging_copy TEMPLATE app OWNER app_user STRATEGY FILE_COPY;
