-- name: casts
-- User-defined casts (database-wide), extension members and the
-- range-to-multirange casts range types create for themselves excluded.
-- The cast function is rendered as its qualified signature.
SELECT c.oid, pg_catalog.format_type(c.castsource, NULL) AS source, pg_catalog.format_type(c.casttarget, NULL) AS target,
       CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'b' THEN 'binary' WHEN 'i' THEN 'inout' END AS method,
       CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::text END AS func,
       CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' WHEN 'i' THEN 'implicit' END AS context,
       d.description
FROM pg_catalog.pg_cast c
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.oid >= 16384 AND {{notext "pg_cast" "c.oid"}}
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                   WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')
