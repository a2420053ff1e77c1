-- name: depend
-- Dependency edges between user objects (pg_depend, deptype normal 'n' and
-- auto 'a'), resolved to the objects the model holds:
--   dependent  column default (pg_attrdef) -> its table; view rule (pg_rewrite
--              _RETURN) -> its view; another rule stays a rule (Table.Rules);
--              stand-alone composite relation -> its type;
--   referenced array type -> its element type; a table/view row type -> the
--              relation; an extension member -> its extension.
-- Dropped: self edges, built-in objects (oid < 16384, FirstNormalObjectId), schema
-- references (schemas are always created first), and triggers, policies and
-- sequences as dependents (Dump places triggers and policies after everything
-- they can use, and sequences only depend on their owning column, which Dump
-- sets with OWNED BY after the tables). Edges to objects outside the model are
-- dropped by the caller.
SELECT dep.cls AS dep_class, dep.oid AS dep_oid,
       CASE WHEN ext.extoid IS NOT NULL THEN 'pg_extension'
            WHEN rtc.oid IS NOT NULL THEN 'pg_class'
            WHEN rt.oid IS NOT NULL THEN 'pg_type'
            WHEN d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.relkind = 'c' THEN 'pg_type'
            ELSE d.refclassid::pg_catalog.regclass::text END AS ref_class,
       CASE WHEN ext.extoid IS NOT NULL THEN ext.extoid
            WHEN rtc.oid IS NOT NULL THEN rtc.oid
            WHEN rt.oid IS NOT NULL THEN rt.oid
            WHEN d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.relkind = 'c' THEN rc.reltype
            ELSE d.refobjid END AS ref_oid
FROM pg_catalog.pg_depend d
LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
LEFT JOIN pg_catalog.pg_rewrite rw ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND rw.oid = d.objid
LEFT JOIN pg_catalog.pg_class dc ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dc.oid = d.objid
LEFT JOIN pg_catalog.pg_index di ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND di.indexrelid = d.objid
LEFT JOIN pg_catalog.pg_constraint dco ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dco.oid = d.objid
CROSS JOIN LATERAL (SELECT
       CASE WHEN ad.oid IS NOT NULL OR rw.rulename = '_RETURN' THEN 'pg_class'
            WHEN dc.relkind = 'c' THEN 'pg_type'
            ELSE d.classid::pg_catalog.regclass::text END AS cls,
       CASE WHEN ad.oid IS NOT NULL THEN ad.adrelid
            WHEN rw.rulename = '_RETURN' THEN rw.ev_class
            WHEN dc.relkind = 'c' THEN dc.reltype
            ELSE d.objid END AS oid) dep
LEFT JOIN pg_catalog.pg_class rc ON d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND rc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_type rt0 ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND rt0.oid = d.refobjid
LEFT JOIN pg_catalog.pg_type rt ON rt.oid = CASE WHEN rt0.typcategory = 'A' AND rt0.typelem <> 0 THEN rt0.typelem ELSE rt0.oid END
LEFT JOIN pg_catalog.pg_class rtc ON rtc.oid = rt.typrelid AND rtc.relkind <> 'c'
LEFT JOIN LATERAL (SELECT e.refobjid AS extoid FROM pg_catalog.pg_depend e
                    WHERE e.deptype = 'e'
                      AND e.classid = CASE WHEN rt.oid IS NOT NULL THEN 'pg_catalog.pg_type'::pg_catalog.regclass ELSE d.refclassid END
                      AND e.objid = COALESCE(rt.oid, d.refobjid)
                    LIMIT 1) ext ON true
WHERE d.deptype IN ('n', 'a')
  AND d.objid >= 16384
  AND d.refobjid >= 16384
  AND d.refclassid <> 'pg_catalog.pg_namespace'::pg_catalog.regclass
  AND d.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
                    'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,
                    'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_attrdef'::pg_catalog.regclass,
                    'pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_extension'::pg_catalog.regclass,
                    'pg_catalog.pg_cast'::pg_catalog.regclass)
  AND COALESCE(dc.relkind, 'x') <> 'S'
  -- self edges (most of pg_depend): an index, a constraint or a column
  -- default on its own table
  AND NOT (d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refobjid IN (COALESCE(di.indrelid, 0), COALESCE(dco.conrelid, 0), COALESCE(ad.adrelid, 0)))
{{- if .Scoped}}
  -- a scoped inspection: only dependents in the included schemas (the
  -- caller drops the others; an oid shared by two catalogs only lets an
  -- extra row through)
  AND (d.classid IN ('pg_catalog.pg_extension'::pg_catalog.regclass, 'pg_catalog.pg_cast'::pg_catalog.regclass) OR d.objid IN (
        SELECT oid FROM pg_catalog.pg_class WHERE relnamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT oid FROM pg_catalog.pg_type WHERE typnamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT oid FROM pg_catalog.pg_proc WHERE pronamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT oid FROM pg_catalog.pg_constraint WHERE connamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT oid FROM pg_catalog.pg_operator WHERE oprnamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT a.oid FROM pg_catalog.pg_attrdef a JOIN pg_catalog.pg_class c ON c.oid = a.adrelid
                  WHERE c.relnamespace = ANY($1::pg_catalog.oid[])
        UNION ALL SELECT w.oid FROM pg_catalog.pg_rewrite w JOIN pg_catalog.pg_class c ON c.oid = w.ev_class
                  WHERE c.relnamespace = ANY($1::pg_catalog.oid[])))
{{- end}}
