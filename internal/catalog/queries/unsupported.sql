-- name: unsupported
-- Objects of kinds the model does not represent, so Inspect can report them by
-- name instead of dropping them silently. Same exclusions as everywhere:
-- system schemas (only the included schemas are looked at), built-in objects
-- (oid < 16384) and extension members.
SELECT 'conversion' AS kind, n.nspname::text AS schema, c.conname::text AS name, 'conversion' AS detail
FROM pg_catalog.pg_conversion c
JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND {{notext "pg_conversion" "c.oid"}}
UNION ALL
-- text search configurations and dictionaries are modelled; parsers and
-- templates (C functions) are not
SELECT 'text_search', n.nspname, x.prsname, 'text search parser'
FROM pg_catalog.pg_ts_parser x JOIN pg_catalog.pg_namespace n ON n.oid = x.prsnamespace
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND x.oid >= 16384 AND {{notext "pg_ts_parser" "x.oid"}}
UNION ALL
SELECT 'text_search', n.nspname, x.tmplname, 'text search template'
FROM pg_catalog.pg_ts_template x JOIN pg_catalog.pg_namespace n ON n.oid = x.tmplnamespace
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND x.oid >= 16384 AND {{notext "pg_ts_template" "x.oid"}}
UNION ALL
-- foreign tables are modelled (ForeignTables, partitions too), except inheritance children
SELECT CASE c.relkind WHEN 'f' THEN 'foreign_table' ELSE 'table' END, n.nspname, c.relname,
       CASE WHEN c.relkind = 'f' THEN 'foreign table (an inheritance child)' ELSE 'typed table (OF ' || pg_catalog.format_type(c.reloftype, NULL) || ')' END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND ((c.relkind = 'f' AND NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid))
       OR (c.relkind IN ('r', 'p') AND c.reloftype <> 0))
  AND {{notext "pg_class" "c.oid"}}
UNION ALL
SELECT 'tablespace', n.nspname, c.relname, 'stored in tablespace ' || t.spcname
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND c.reltablespace <> 0 AND {{notext "pg_class" "c.oid"}}
UNION ALL
SELECT 'statistics', n.nspname, s.stxname, 'extended statistics on a relation of another schema: ' || pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.relname)
FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
-- statistics are modelled with their relation; one in an included schema on
-- a relation of a schema not included is not
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND NOT (c.relnamespace = ANY($1::pg_catalog.oid[])) AND {{notext "pg_statistic_ext" "s.oid"}}
UNION ALL
SELECT 'language', '', l.lanname, 'procedural language'
FROM pg_catalog.pg_language l WHERE l.oid >= 16384 AND {{notext "pg_language" "l.oid"}}
UNION ALL
SELECT 'transform', '', pg_catalog.format_type(t.trftype, NULL) || ' LANGUAGE ' || l.lanname, 'transform'
FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l ON l.oid = t.trflang
WHERE t.oid >= 16384 AND {{notext "pg_transform" "t.oid"}}
UNION ALL
SELECT 'access_method', '', a.amname, 'access method'
FROM pg_catalog.pg_am a WHERE a.oid >= 16384 AND {{notext "pg_am" "a.oid"}}
UNION ALL
SELECT 'type_other', n.nspname, t.typname,
       CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'p' THEN 'pseudo-type (shell)' ELSE 'type' END
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND t.typtype IN ('b', 'p')
  AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
  AND {{notext "pg_type" "t.oid"}}
UNION ALL
SELECT 'security_label', '', l.provider || ': ' || l.label, 'security label on ' || l.classoid::pg_catalog.regclass::text
FROM pg_catalog.pg_seclabel l
WHERE l.objoid >= 16384
