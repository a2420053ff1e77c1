-- name: ts_dicts
-- Text search dictionaries of the included schemas (extension members and
-- built-in ones excluded): template and init options as CREATE takes them.
SELECT x.oid, n.nspname::text, x.dictname::text,
       pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.tmplname) AS template,
       x.dictinitoption, pg_catalog.pg_get_userbyid(x.dictowner) AS owner, d.description
FROM pg_catalog.pg_ts_dict x
JOIN pg_catalog.pg_namespace n ON n.oid = x.dictnamespace
JOIN pg_catalog.pg_ts_template t ON t.oid = x.dicttemplate
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AND d.objoid = x.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND x.oid >= 16384 AND {{notext "pg_ts_dict" "x.oid"}}

-- name: ts_configs
-- Text search configurations of the included schemas, with their parser.
SELECT x.oid, n.nspname::text, x.cfgname::text,
       pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.prsname) AS parser,
       pg_catalog.pg_get_userbyid(x.cfgowner) AS owner, d.description
FROM pg_catalog.pg_ts_config x
JOIN pg_catalog.pg_namespace n ON n.oid = x.cfgnamespace
JOIN pg_catalog.pg_ts_parser p ON p.oid = x.cfgparser
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.classoid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass AND d.objoid = x.oid AND d.objsubid = 0
WHERE n.oid = ANY($1::pg_catalog.oid[]) AND x.oid >= 16384 AND {{notext "pg_ts_config" "x.oid"}}

-- name: ts_config_maps
-- The mappings of those configurations: one row per token type and
-- dictionary, token types in the parser's order, dictionaries in the order
-- they are tried.
SELECT m.mapcfg, t.alias::text, dn.nspname::text, dd.dictname::text
FROM pg_catalog.pg_ts_config_map m
JOIN pg_catalog.pg_ts_config x ON x.oid = m.mapcfg
JOIN LATERAL pg_catalog.ts_token_type(x.cfgparser) t ON t.tokid = m.maptokentype
JOIN pg_catalog.pg_ts_dict dd ON dd.oid = m.mapdict
JOIN pg_catalog.pg_namespace dn ON dn.oid = dd.dictnamespace
WHERE x.cfgnamespace = ANY($1::pg_catalog.oid[]) AND x.oid >= 16384 AND {{notext "pg_ts_config" "x.oid"}}
ORDER BY m.mapcfg, m.maptokentype, m.mapseqno
