-- name: sequences
-- Sequences in the included schemas, with the column owning them (deptype 'a'
-- for OWNED BY / serial, 'i' for identity columns). Extension members excluded.
SELECT c.oid, n.nspname, c.relname,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       c.relpersistence = 'u' AS unlogged,
       COALESCE(dep.deptype::text, '') AS deptype,
       tn.nspname AS owned_schema, tc.relname AS owned_table, ta.attname AS owned_column,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       {{acl "c.relacl" "s" "c.relowner"}} AS acl,
       d.description
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend dep
       ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid
      AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid
LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = dep.refobjid AND ta.attnum = dep.refobjsubid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND {{notext "pg_class" "c.oid"}}
