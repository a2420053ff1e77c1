-- name: publications
-- Logical replication publications (database-wide). FOR TABLES IN SCHEMA
-- lists only the included schemas, as publication_tables lists only their
-- tables, so a scoped inspection holds the part of each publication it reads.
SELECT p.pubname::text, p.puballtables,
       pg_catalog.array_remove(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                                     CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END], NULL) AS publish,
       {{if ge .V 130000}}p.pubviaroot{{else}}false{{end}} AS viaroot,
       {{if ge .V 150000}}ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_publication_namespace pn
                                 JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
                                WHERE pn.pnpubid = p.oid AND n.oid = ANY($1::pg_catalog.oid[])
                                ORDER BY 1){{else}}'{}'::text[]{{end}} AS schemas,
       pg_catalog.pg_get_userbyid(p.pubowner) AS owner,
       d.description
FROM pg_catalog.pg_publication p
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
-- ($1, the included schemas, is never NULL: referenced here so every version's query takes it)
WHERE $1::pg_catalog.oid[] IS NOT NULL

-- name: publication_tables
-- The tables each publication lists (FOR TABLE), of the included schemas,
-- with their column lists and row filters (PostgreSQL 15).
SELECT p.pubname::text, n.nspname::text, c.relname::text,
       {{if ge .V 150000}}ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(pr.prattrs::pg_catalog.int2[]) WITH ORDINALITY k(num, ord)
                                 JOIN pg_catalog.pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k.num
                                ORDER BY k.ord){{else}}'{}'::text[]{{end}} AS columns,
       {{if ge .V 150000}}pg_catalog.pg_get_expr(pr.prqual, pr.prrelid){{else}}NULL::text{{end}} AS qual
FROM pg_catalog.pg_publication_rel pr
JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
