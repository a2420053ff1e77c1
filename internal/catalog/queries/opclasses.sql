-- name: opfamilies
-- Operator families of the included schemas, extension members excluded
-- (CREATE OPERATOR CLASS creates a family of its own name implicitly: it is
-- read like any other, and Dump creates it explicitly first, as pg_dump does).
SELECT f.oid, n.nspname::text, f.opfname::text, am.amname::text,
       pg_catalog.pg_get_userbyid(f.opfowner) AS owner, d.description
FROM pg_catalog.pg_opfamily f
JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND d.objoid = f.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND {{notext "pg_opfamily" "f.oid"}}

-- name: opclasses
-- Operator classes of the included schemas: input type, default flag,
-- family, storage type (0 when it is the input type).
SELECT c.oid, n.nspname::text, c.opcname::text, am.amname::text,
       pg_catalog.format_type(c.opcintype, NULL) AS type, c.opcdefault,
       c.opcfamily, fn.nspname::text, f.opfname::text,
       CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) ELSE '' END AS storage,
       c.opcintype, c.opckeytype,
       pg_catalog.pg_get_userbyid(c.opcowner) AS owner, d.description
FROM pg_catalog.pg_opclass c
JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND {{notext "pg_opclass" "c.oid"}}

-- name: opmembers
-- The operators (pg_amop) and support functions (pg_amproc) of the families
-- of the included schemas, each with what owns it: the class it is bound to
-- (dependency 'i' on pg_opclass) or the family itself (a loose member,
-- dependency 'a' on pg_opfamily). The member's operator or function oid
-- resolves its dependency.
SELECT o.classid::pg_catalog.regclass::text AS owner_class, o.refobjid AS owner_oid, false AS func,
       a.amopstrategy::int AS num, pg_catalog.format_type(a.amoplefttype, NULL), pg_catalog.format_type(a.amoprighttype, NULL),
       a.amopopr::pg_catalog.regoperator::text,
       CASE WHEN a.amoppurpose = 'o' THEN pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(sf.opfname) ELSE '' END,
       'pg_operator' AS obj_class, a.amopopr AS obj_oid
FROM pg_catalog.pg_amop a
JOIN pg_catalog.pg_opfamily f ON f.oid = a.amopfamily
CROSS JOIN LATERAL (SELECT d.refclassid AS classid, d.refobjid FROM pg_catalog.pg_depend d
                     WHERE d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = a.oid
                       AND d.refclassid IN ('pg_catalog.pg_opclass'::pg_catalog.regclass, 'pg_catalog.pg_opfamily'::pg_catalog.regclass)
                       AND d.deptype IN ('i', 'a')
                     LIMIT 1) o
LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = a.amopsortfamily
LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace
WHERE f.opfnamespace = ANY($1::pg_catalog.oid[]) AND {{notext "pg_opfamily" "f.oid"}}
UNION ALL
SELECT o.classid::pg_catalog.regclass::text, o.refobjid, true,
       p.amprocnum::int, pg_catalog.format_type(p.amproclefttype, NULL), pg_catalog.format_type(p.amprocrighttype, NULL),
       p.amproc::pg_catalog.regprocedure::text, '', 'pg_proc', p.amproc
FROM pg_catalog.pg_amproc p
JOIN pg_catalog.pg_opfamily f ON f.oid = p.amprocfamily
CROSS JOIN LATERAL (SELECT d.refclassid AS classid, d.refobjid FROM pg_catalog.pg_depend d
                     WHERE d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = p.oid
                       AND d.refclassid IN ('pg_catalog.pg_opclass'::pg_catalog.regclass, 'pg_catalog.pg_opfamily'::pg_catalog.regclass)
                       AND d.deptype IN ('i', 'a')
                     LIMIT 1) o
WHERE f.opfnamespace = ANY($1::pg_catalog.oid[]) AND {{notext "pg_opfamily" "f.oid"}}
