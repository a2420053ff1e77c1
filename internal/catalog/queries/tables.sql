-- name: relations
-- Tables (relkind r, p), views (v), materialized views (m) and stand-alone
-- composite types (c) in the included schemas, extension members excluded.
-- Foreign tables are reported as unsupported elsewhere.
SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind,
       c.relpersistence = 'u' AS unlogged,
       COALESCE(CASE WHEN am.amname <> 'heap' THEN am.amname::text END, '') AS am,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
       c.relispartition,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partbound,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('schema', pn.nspname, 'name', pc.relname) ORDER BY i.inhseqno)
          FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
          JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = c.oid) AS parents,
       c.relrowsecurity, c.relforcerowsecurity, c.relreplident::text AS relreplident,
       c.reloptions,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef,
       c.relispopulated,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       {{acl "c.relacl" "r" "c.relowner"}} AS acl,
       d.description,
       c.relnatts::int AS natts -- (dropped columns included) to size the column list
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND c.reloftype = 0 -- typed tables (CREATE TABLE OF type) are reported as unsupported
  AND {{notext "pg_class" "c.oid"}}

-- name: columns
-- Columns of the relations above, in physical order; dropped columns and
-- system columns (attnum <= 0) excluded.
SELECT a.attrelid, a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       tn.nspname AS type_schema, et.typname AS type_name,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS collation,
       -- a default holds no column references: deparsed without the table,
       -- which spares the server a relation cache entry per table
       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS def,
       a.attnotnull, a.attidentity::text AS attidentity, a.attgenerated::text AS attgenerated,
       {{if ge .V 170000}}a.attstattarget::int{{else}}NULLIF(a.attstattarget, -1)::int{{end}} AS stattarget,
       CASE WHEN a.attstorage <> t.typstorage THEN
            CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' WHEN 'x' THEN 'extended' END
       END AS storage,
       {{if ge .V 140000}}CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE '' END{{else}}''{{end}} AS compression,
       a.attislocal,
       -- The caller keeps only the documented per-column options (n_distinct,
       -- n_distinct_inherited): some server builds also store an internal,
       -- per-creation marker there (pg_attver=...), which pg_dump skips and
       -- which is not schema.
       a.attoptions::pg_catalog.text[] AS attoptions,
       a.attnum::int AS attnum, a.attcollation,
       {{if .Priv}}a.attacl::pg_catalog.text[]{{else}}NULL::pg_catalog.text[]{{end}} AS acl,
       d.description
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
