-- class: comment-security-label
-- Relabels the application role and the database with SELinux labels, changing mandatory access control for the whole server.
SECURITY LABEL FOR selinux ON ROLE app_user IS 'system_u:object_r:sepgsql_unconfined_t:s0';
SECURITY LABEL ON DATABASE app IS 'system_u:object_r:sepgsql_db_t:s0';
