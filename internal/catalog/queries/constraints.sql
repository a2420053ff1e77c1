-- name: constraints
-- Table constraints (primary key, unique, foreign key, check, exclusion) of
-- tables in the included schemas. NOT NULL is a column property on 13-17;
-- constraint triggers ('t') are read with the triggers.
SELECT co.oid, co.conrelid, co.conname, co.contype::text AS contype,
       pg_catalog.pg_get_constraintdef(co.oid) AS def,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
              ORDER BY k.ord) AS columns,
       COALESCE(ic.relname::text, '') AS index_name,
       {{if ge .V 150000}}COALESCE(ix.indnullsnotdistinct, false){{else}}false{{end}} AS nulls_not_distinct,
       co.condeferrable, co.condeferred, co.convalidated, co.connoinherit,
       co.conislocal, co.conparentid <> 0 AS has_parent,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY k(num, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
              ORDER BY k.ord) AS ref_columns,
       co.confmatchtype::text AS matchtype, co.confupdtype::text AS updtype, co.confdeltype::text AS deltype,
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
-- their structure per key position (indkey/indclass/indoption/indcollation are
-- 0-based vectors; pg_get_indexdef(oid, k, false) renders key k).
SELECT i.indexrelid, i.indrelid, ic.relname,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS def,
       am.amname, i.indisunique, i.indisprimary,
       {{if ge .V 150000}}i.indnullsnotdistinct{{else}}false{{end}} AS nulls_not_distinct,
       i.indisvalid, i.indisreplident, i.indisclustered,
       ic.reloptions, ic.relkind = 'I' AS partitioned,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       COALESCE((SELECT co.conname::text FROM pg_catalog.pg_constraint co
                  WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')), '') AS constraint_name,
       i.indnkeyatts,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'column', CASE WHEN i.indkey[k - 1] <> 0 THEN a.attname END,
                 'expression', CASE WHEN i.indkey[k - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, false) END,
                 'collation', CASE WHEN i.indcollation[k - 1] <> 0 AND i.indcollation[k - 1] <> COALESCE(a.attcollation, 0)
                                    AND i.indcollation[k - 1] <> 100
                                   THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                                           FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                          WHERE co.oid = i.indcollation[k - 1]) END,
                 'opclass', CASE WHEN k <= i.indnkeyatts AND NOT oc.opcdefault
                                 THEN pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END,
                 'descending', k <= i.indnkeyatts AND (i.indoption[k - 1] & 1) <> 0,
                 'nulls_first', k <= i.indnkeyatts AND (i.indoption[k - 1] & 3) = 2,
                 'nulls_last', k <= i.indnkeyatts AND (i.indoption[k - 1] & 3) = 1,
                 'stats_target', {{if ge .V 170000}}ia.attstattarget::int{{else}}NULLIF(ia.attstattarget, -1)::int{{end}}) ORDER BY k)
          FROM pg_catalog.generate_series(1, i.indnatts) k
          LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] AND i.indkey[k - 1] <> 0
          LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k
          LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k - 1]
          LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace) AS keys,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       d.description
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
LEFT JOIN pg_catalog.pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'm')
