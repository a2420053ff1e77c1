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
-- Indexes of tables and materialized views in the included schemas (their
-- keys come from index_keys). pg_get_indexdef opens the table (a relation
-- cache entry and a lock per table), so the server renders only indexes with
-- expression keys; the caller renders the others from their keys, exactly
-- as pg_get_indexdef does.
SELECT i.indexrelid, i.indrelid, ic.relname,
       CASE WHEN i.indexprs IS NOT NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS def,
       am.amname, i.indisunique, i.indisprimary,
       {{if ge .V 150000}}i.indnullsnotdistinct{{else}}false{{end}} AS nulls_not_distinct,
       i.indisvalid, i.indisreplident, i.indisclustered,
       ic.reloptions, ic.relkind = 'I' AS partitioned,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       COALESCE(ico.conname::text, '') AS constraint_name,
       i.indnkeyatts,
       i.indnatts,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
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

-- name: index_keys
-- One row per key position of the indexes above (key columns, then INCLUDE
-- columns): the column or expression (pg_get_indexdef(oid, k, false) renders
-- key k), a collation other than the column's, an operator class other than
-- the type's default, ordering (indoption bit 0 DESC, bit 1 NULLS FIRST) and
-- a statistics target set on an expression. Set-based (unnest + hash joins),
-- not a sub-select per index.
SELECT i.indexrelid, k.pos::int AS pos,
       COALESCE(CASE WHEN k.attnum <> 0 THEN a.attname::text END, '') AS column_name,
       COALESCE(CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.pos::int, false) END, '') AS expression,
       -- as pg_get_indexdef: a column key shows any collation other than
       -- the column's (the database default included)
       COALESCE(CASE WHEN k.coll <> 0 AND ((k.attnum <> 0 AND k.coll <> a.attcollation) OR (k.attnum = 0 AND k.coll <> 100))
                     THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END, '') AS collation,
       -- an operator class with options is always named, default or not
       COALESCE(CASE WHEN k.pos <= i.indnkeyatts AND (NOT oc.opcdefault OR ia.attoptions IS NOT NULL)
                     THEN pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END, '') AS opclass,
       CASE WHEN k.pos <= i.indnkeyatts THEN ia.attoptions::pg_catalog.text[] END AS opclass_options,
       k.pos <= i.indnkeyatts AND (k.opt & 1) <> 0 AS descending,
       k.pos <= i.indnkeyatts AND (k.opt & 3) = 2 AS nulls_first,
       k.pos <= i.indnkeyatts AND (k.opt & 3) = 1 AS nulls_last,
       {{if ge .V 170000}}ia.attstattarget::int{{else}}NULLIF(ia.attstattarget, -1)::int{{end}} AS stats_target
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(i.indkey::pg_catalog.int2[]), pg_catalog.unnest(i.indclass::pg_catalog.oid[]),
                              pg_catalog.unnest(i.indcollation::pg_catalog.oid[]), pg_catalog.unnest(i.indoption::pg_catalog.int2[]))
     WITH ORDINALITY AS k(attnum, opclass, coll, opt, pos)
-- pg_attribute is the largest catalog: look the few attributes up by index
-- (LATERAL) rather than hashing all of it
LEFT JOIN LATERAL (SELECT a.attname, a.attcollation FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0) a ON true
LEFT JOIN LATERAL (SELECT ia.attstattarget, ia.attoptions FROM pg_catalog.pg_attribute ia
                    WHERE ia.attrelid = i.indexrelid AND ia.attnum = k.pos) ia ON true
LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = k.coll
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'm')
ORDER BY i.indexrelid, k.pos
