-- name: functions
-- Functions, procedures, window functions and aggregates in the included
-- schemas; extension members excluded. pg_get_functiondef is not defined for
-- aggregates: their definition is assembled from pg_aggregate.
SELECT p.oid, n.nspname, p.proname, p.prokind::text AS prokind,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS args,
       pg_catalog.pg_get_function_arguments(p.oid) AS args_full,
       COALESCE(pg_catalog.pg_get_function_result(p.oid), '') AS result,
       l.lanname,
       CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) ELSE '' END AS def,
       {{if ge .V 140000}}COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc){{else}}p.prosrc{{end}} AS body,
       p.provolatile::text AS volatility, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel::text AS parallel,
       p.procost::float8, p.prorows::float8, COALESCE(p.proconfig, '{}') AS config,
       pg_catalog.pg_get_userbyid(p.proowner) AS owner,
       {{acl "p.proacl" "f" "p.proowner"}} AS acl,
       d.description,
       a.aggkind::text AS aggkind,
       a.aggtransfn::pg_catalog.regproc::text AS sfunc,
       pg_catalog.format_type(a.aggtranstype, NULL) AS stype,
       a.aggtransspace,
       CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::pg_catalog.regproc::text END AS finalfunc,
       a.aggfinalextra, a.aggfinalmodify::text AS finalmodify,
       CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::pg_catalog.regproc::text END AS combinefunc,
       CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::pg_catalog.regproc::text END AS serialfunc,
       CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::pg_catalog.regproc::text END AS deserialfunc,
       a.agginitval,
       CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::pg_catalog.regproc::text END AS msfunc,
       CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::pg_catalog.regproc::text END AS minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END AS mstype,
       a.aggmtransspace,
       CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::pg_catalog.regproc::text END AS mfinalfunc,
       a.aggmfinalextra, a.aggmfinalmodify::text AS mfinalmodify,
       a.aggminitval,
       CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoper::text END AS sortop
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND {{notext "pg_proc" "p.oid"}}
  -- constructors a range or multirange type creates for itself (deptype 'i')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                   WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i')

-- name: operators
-- User-defined operators in the included schemas, extension members excluded.
SELECT o.oid, n.nspname, o.oprname,
       CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) ELSE '' END AS lefttype,
       pg_catalog.format_type(o.oprright, NULL) AS righttype,
       o.oprcode::pg_catalog.regproc::text AS func,
       CASE WHEN o.oprcom <> 0 THEN o.oprcom::pg_catalog.regoper::text ELSE '' END AS commutator,
       CASE WHEN o.oprnegate <> 0 THEN o.oprnegate::pg_catalog.regoper::text ELSE '' END AS negator,
       CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text ELSE '' END AS restrict,
       CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text ELSE '' END AS joinsel,
       o.oprcanhash, o.oprcanmerge,
       pg_catalog.pg_get_userbyid(o.oprowner) AS owner,
       d.description
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND d.objoid = o.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[])
  AND {{notext "pg_operator" "o.oid"}}
