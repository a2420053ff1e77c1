-- name: constraints
-- Table constraints (primary key, unique, foreign key, check, exclusion) of
-- tables in the included schemas. NOT NULL is a column property on 13-17;
-- constraint triggers ('t') are read with the triggers.
-- Only CHECK and EXCLUDE definitions are rendered by the server (they hold
-- expressions): the caller renders primary keys, unique constraints and
-- foreign keys from the columns, exactly as pg_get_constraintdef does,
-- which spares the server a relation cache entry per table.
SELECT co.oid, co.conrelid, co.conname, co.contype::text AS contype,
       CASE WHEN co.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(co.oid) END AS def,
       -- column numbers; the caller maps them to names with the columns it read
       co.conkey::pg_catalog.int4[] AS conkey,
       COALESCE(ic.relname::text, '') AS index_name,
       {{if ge .V 150000}}COALESCE(ix.indnullsnotdistinct, false){{else}}false{{end}} AS nulls_not_distinct,
       co.condeferrable, co.condeferred, co.convalidated, co.connoinherit,
       co.conislocal, co.conparentid <> 0 AS has_parent,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       co.confrelid, co.confkey::pg_catalog.int4[] AS confkey,
       -- names only for a referenced table outside the included schemas
       CASE WHEN co.contype = 'f' AND NOT (rc.relnamespace = ANY($1::pg_catalog.oid[])) THEN
            ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY k(num, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
                   ORDER BY k.ord) END AS ref_columns,
       co.confmatchtype::text AS matchtype, co.confupdtype::text AS updtype, co.confdeltype::text AS deltype,
       {{if ge .V 150000}}co.confdelsetcols::pg_catalog.int4[]{{else}}NULL::pg_catalog.int4[]{{end}} AS delsetcols,
       d.description
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p')
  AND co.contype IN ('p', 'u', 'f', 'c', 'x')

-- name: indexes
-- Indexes of tables and materialized views in the included schemas, with
-- their keys as the catalog stores them (column numbers, operator classes,
-- collations, ordering flags), which the caller resolves with the columns,
-- index_attributes and index_names; pg_get_indexdef(oid, k, false) renders
-- expression keys. pg_get_indexdef opens the table (a relation cache entry
-- and a lock per table), so the server renders only indexes with expression
-- keys; the caller renders the others from their keys, exactly as
-- pg_get_indexdef does.
SELECT i.indexrelid, i.indrelid, ic.relname,
       CASE WHEN i.indexprs IS NOT NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS def,
       am.amname, i.indisunique, i.indisprimary,
       {{if ge .V 150000}}i.indnullsnotdistinct{{else}}false{{end}} AS nulls_not_distinct,
       i.indisvalid, i.indisreplident, i.indisclustered,
       ic.reloptions, ic.relkind = 'I' AS partitioned,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       COALESCE(ico.conname::text, '') AS constraint_name,
       i.indnkeyatts,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indkey::pg_catalog.int2[] AS indkey, i.indclass::pg_catalog.oid[] AS indclass,
       i.indcollation::pg_catalog.oid[] AS indcollation, i.indoption::pg_catalog.int2[] AS indoption,
       CASE WHEN i.indexprs IS NOT NULL THEN
            ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, false)
                    FROM pg_catalog.generate_series(1, i.indnkeyatts::int) k ORDER BY k) END AS expressions,
       d.description
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
-- pg_constraint has no index on conindid: a join (hashed) instead of a sub-select per index
LEFT JOIN pg_catalog.pg_constraint ico
       ON ico.conindid = i.indexrelid AND ico.conrelid = i.indrelid AND ico.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'm')

-- name: index_attributes
-- The attributes of the indexes above that carry something of their own:
-- operator class options (PostgreSQL 13+) or a statistics target set on an
-- expression key. Few rows; read by one scan instead of a lookup per key.
SELECT a.attrelid, a.attnum::int AS attnum,
       {{if ge .V 170000}}a.attstattarget::int{{else}}NULLIF(a.attstattarget, -1)::int{{end}} AS stats_target,
       a.attoptions::pg_catalog.text[] AS attoptions
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('i', 'I')
  AND a.attnum > 0
  AND (a.attoptions IS NOT NULL OR {{if ge .V 170000}}a.attstattarget IS NOT NULL{{else}}a.attstattarget <> -1{{end}})

-- name: index_names
-- Names of every operator class (with whether it is its type's default) and
-- every collation, schema-qualified, to name the keys of the indexes above.
SELECT 'o' AS kind, oc.oid, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) AS name, oc.opcdefault AS is_default
FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
UNION ALL
SELECT 'c', co.oid, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(co.collname), false
FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
