-- class: dynamic-sql
-- On a server where the xml2 extension is already installed, xpath_table() builds and runs a query from its text arguments: here it reads pg_authid.
CREATE TABLE role_xml_cache AS
SELECT *
FROM xpath_table('rolname', 'xmlelement(name r, rolpassword)::text', 'pg_catalog.pg_authid', '/r', 'rolcanlogin')
  AS t(rolname name, secret text);
