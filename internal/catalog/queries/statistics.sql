-- name: statistics
-- Extended statistics objects on tables, materialized views and foreign
-- tables of the included schemas, extension members excluded.
SELECT s.stxrelid, n.nspname, s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid) AS def,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(s.stxkeys::pg_catalog.int2[]) WITH ORDINALITY k(num, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k.num
              ORDER BY k.ord) AS columns,
       ARRAY(SELECT CASE k WHEN 'd' THEN 'ndistinct' WHEN 'f' THEN 'dependencies' WHEN 'm' THEN 'mcv'
                           WHEN 'e' THEN 'expressions' ELSE k::text END
               FROM pg_catalog.unnest(s.stxkind) k) AS kinds,
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::int END AS stattarget,
       pg_catalog.pg_get_userbyid(s.stxowner) AS owner,
       d.description
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND d.objoid = s.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'm', 'f')
  AND {{notext "pg_statistic_ext" "s.oid"}}
