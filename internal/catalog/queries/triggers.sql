-- name: triggers
-- User triggers (constraint triggers included) on tables, views and
-- materialized views in the included schemas. Excluded: internal triggers
-- (foreign keys, deferred uniqueness) and triggers cloned onto partitions
-- from their partitioned parent (tgparentid <> 0): PostgreSQL recreates them.
SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS def,
       fn.nspname AS fschema, f.proname AS fname,
       t.tgtype::int AS tgtype, t.tgenabled::text AS enabled,
       t.tgconstraint <> 0 AS is_constraint, t.tgdeferrable, t.tginitdeferred,
       ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(t.tgattr::pg_catalog.int2[]) WITH ORDINALITY k(num, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.num
              ORDER BY k.ord) AS update_of,
       d.description
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT t.tgisinternal
  AND t.tgparentid = 0

-- name: event_triggers
-- Event triggers (database-wide), extension members excluded.
SELECT e.evtname, e.evtevent, COALESCE(e.evttags, '{}') AS tags,
       fn.nspname AS fschema, f.proname AS fname, e.evtenabled::text AS enabled,
       pg_catalog.pg_get_userbyid(e.evtowner) AS owner, d.description
FROM pg_catalog.pg_event_trigger e
JOIN pg_catalog.pg_proc f ON f.oid = e.evtfoid
JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND d.objoid = e.oid AND d.objsubid = 0
WHERE {{notext "pg_event_trigger" "e.oid"}}

-- name: policies
-- Row-level security policies of tables in the included schemas.
SELECT p.polrelid, p.polname, p.polpermissive,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS cmd,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r)::text END
               FROM pg_catalog.unnest(p.polroles) r) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS qual,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS withcheck,
       d.description
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])

-- name: rules
-- Rewrite rules (CREATE RULE) on tables and views of the included schemas;
-- a view's own _RETURN rule is its definition.
SELECT r.oid, r.ev_class, r.rulename::text,
       CASE r.ev_type WHEN '1' THEN 'SELECT' WHEN '2' THEN 'UPDATE' WHEN '3' THEN 'INSERT' WHEN '4' THEN 'DELETE' END AS event,
       pg_catalog.pg_get_ruledef(r.oid) AS def,
       CASE r.ev_enabled WHEN 'O' THEN 'origin' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' WHEN 'D' THEN 'disabled' END AS enabled,
       d.description
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objoid = r.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
  AND c.relkind IN ('r', 'p', 'v')
  AND r.rulename <> '_RETURN'
  AND {{notext "pg_class" "c.oid"}}
