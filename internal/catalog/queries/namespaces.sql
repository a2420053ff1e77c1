-- name: namespaces
-- Every schema except the system ones and those created by an extension.
-- Exclusions: pg_catalog and information_schema (system), pg_toast* (TOAST
-- storage), pg_temp_*/pg_toast_temp_* (other sessions' temporary objects),
-- extension members (pg_depend deptype 'e').
SELECT n.oid,
       n.nspname,
       pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
       {{acl "n.nspacl" "n" "n.nspowner"}} AS acl,
       d.description,
       pg_catalog.has_schema_privilege(n.oid, 'USAGE') AS usable
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
  AND n.nspname !~ '^pg_temp_'
  AND {{notext "pg_namespace" "n.oid"}}
ORDER BY n.nspname

-- name: extensions
-- Installed extensions. Excluded: the ones initdb created (oid below
-- FirstNormalObjectId, i.e. plpgsql), which every database already has.
SELECT e.oid, e.extname, n.nspname, e.extversion, d.description
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.objoid = e.oid AND d.objsubid = 0
WHERE e.oid >= 16384
ORDER BY e.extname

-- name: collations
-- User-defined collations in the included schemas; extension members excluded.
SELECT c.oid, n.nspname, c.collname,
       CASE c.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'default' END AS provider,
       c.collisdeterministic,
       COALESCE(c.collcollate::text, '') AS lc_collate,
       COALESCE(c.collctype::text, '') AS lc_ctype,
       {{if ge .V 170000}}COALESCE(c.colllocale, ''){{else if ge .V 150000}}COALESCE(c.colliculocale, ''){{else}}''{{end}} AS locale,
       pg_catalog.pg_get_userbyid(c.collowner) AS owner,
       d.description
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND {{notext "pg_collation" "c.oid"}}

-- name: default_privileges
-- ALTER DEFAULT PRIVILEGES entries (global and per schema).
SELECT pg_catalog.pg_get_userbyid(a.defaclrole) AS role,
       COALESCE(n.nspname, '') AS schema,
       CASE a.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                            WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' END AS objtype,
       a.defaclacl::pg_catalog.text[] AS grants
FROM pg_catalog.pg_default_acl a
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = a.defaclnamespace
WHERE a.defaclnamespace = 0 OR a.defaclnamespace = ANY($1::pg_catalog.oid[])
