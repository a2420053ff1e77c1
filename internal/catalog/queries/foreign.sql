-- name: foreign_wrappers
-- Foreign-data wrappers (database-wide), extension members excluded (an
-- extension such as postgres_fdw creates its own).
SELECT w.fdwname::text,
       CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::text END AS handler,
       CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::text END AS validator,
       ARRAY(SELECT pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value)
               FROM pg_catalog.pg_options_to_table(w.fdwoptions) o) AS options,
       pg_catalog.pg_get_userbyid(w.fdwowner) AS owner, d.description
FROM pg_catalog.pg_foreign_data_wrapper w
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND d.objoid = w.oid AND d.objsubid = 0
WHERE {{notext "pg_foreign_data_wrapper" "w.oid"}}

-- name: foreign_servers
-- Foreign servers (database-wide). User mappings are not read: their
-- options hold passwords.
SELECT s.srvname::text, w.fdwname::text, s.srvtype, s.srvversion,
       ARRAY(SELECT pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value)
               FROM pg_catalog.pg_options_to_table(s.srvoptions) o) AS options,
       pg_catalog.pg_get_userbyid(s.srvowner) AS owner, d.description
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND d.objoid = s.oid AND d.objsubid = 0
WHERE {{notext "pg_foreign_server" "s.oid"}}

-- name: foreign_tables
-- Foreign tables of the included schemas, partitions with their parent and
-- bound; inheritance children stay in the unsupported query.
SELECT c.oid, n.nspname::text, c.relname::text, s.srvname::text,
       pn.nspname::text AS parent_schema, pc.relname::text AS parent,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
       ARRAY(SELECT pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value)
               FROM pg_catalog.pg_options_to_table(ft.ftoptions) o) AS options,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       {{acl "c.relacl" "r" "c.relowner"}} AS acl,
       d.description
FROM pg_catalog.pg_foreign_table ft
JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
LEFT JOIN pg_catalog.pg_inherits pi ON c.relispartition AND pi.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = pi.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND (c.relispartition OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid))
  AND {{notext "pg_class" "c.oid"}}

-- name: foreign_columns
-- Their columns in order: type, NOT NULL, default, collation when not the
-- type's, per-column options, comment.
SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
       tn.nspname::text, t.typname::text, a.attnotnull,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS def,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS coll,
       ARRAY(SELECT pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value)
               FROM pg_catalog.pg_options_to_table(a.attfdwoptions) o) AS options,
       d.description
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = a.attrelid
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_type et ON et.oid = a.atttypid
JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN et.typcategory = 'A' AND et.typelem <> 0 THEN et.typelem ELSE et.oid END
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE c.relnamespace = ANY($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum

-- name: foreign_checks
-- CHECK constraints of foreign tables (a partition's inherited ones too:
-- ATTACH PARTITION needs them on the partition), by table and name.
SELECT co.conrelid, co.conname::text, pg_catalog.pg_get_constraintdef(co.oid) AS def, NOT co.convalidated,
       co.coninhcount > 0 AND NOT co.conislocal AS inherited, d.description
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE c.relkind = 'f' AND c.relnamespace = ANY($1::pg_catalog.oid[]) AND co.contype = 'c'
ORDER BY co.conrelid, co.conname
