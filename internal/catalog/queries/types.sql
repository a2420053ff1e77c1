-- name: types
-- Enum, domain, composite (stand-alone, relkind 'c') and range types in the
-- included schemas. Excluded: extension members, array types, the row types of
-- tables/views (typrelid of another relkind), base/pseudo types (reported as
-- unsupported), multiranges (created with their range).
SELECT t.oid, n.nspname, t.typname, t.typtype, t.typrelid,
       CASE WHEN t.typtype = 'e' THEN
            ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
       END AS labels,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = t.typcollation) END AS collation,
       pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass) AS def,
       t.typnotnull,
       CASE WHEN t.typtype = 'r' THEN pg_catalog.format_type(r.rngsubtype, NULL) END AS subtype,
       CASE WHEN t.typtype = 'r' AND NOT oc.opcdefault
            THEN pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname) END AS subopc,
       CASE WHEN t.typtype = 'r' AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
            THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                    FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                   WHERE co.oid = r.rngcollation) END AS rngcollation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END AS subdiff,
       {{if ge .V 140000}}CASE WHEN t.typtype = 'r' THEN (SELECT mt.typname::text FROM pg_catalog.pg_type mt WHERE mt.oid = r.rngmultitypid) END{{else}}NULL::text{{end}} AS multirange,
       pg_catalog.pg_get_userbyid(t.typowner) AS owner,
       {{acl "t.typacl" "T" "t.typowner"}} AS acl,
       d.description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc
LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_catalog.pg_class rel ON rel.oid = t.typrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND t.typtype IN ('e', 'd', 'c', 'r')
  AND (t.typtype <> 'c' OR rel.relkind = 'c')
  AND {{notext "pg_type" "t.oid"}}

-- name: domain_constraints
-- CHECK constraints of the domains above (NOT NULL is typnotnull).
SELECT co.oid, co.contypid, co.conname, pg_catalog.pg_get_constraintdef(co.oid) AS def,
       NOT co.convalidated AS not_valid, d.description
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_type t ON t.oid = co.contypid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE t.typnamespace = ANY($1::pg_catalog.oid[])
  AND co.contype = 'c'
