DROP VIEW tenant_directory;
