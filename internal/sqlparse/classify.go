package sqlparse

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// objectTypeNames spells ObjectType values the way command tags do.
var objectTypeNames = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_MATVIEW:               "MATERIALIZED VIEW",
	pg_query.ObjectType_OBJECT_FOREIGN_TABLE:         "FOREIGN TABLE",
	pg_query.ObjectType_OBJECT_FDW:                   "FOREIGN DATA WRAPPER",
	pg_query.ObjectType_OBJECT_FOREIGN_SERVER:        "SERVER",
	pg_query.ObjectType_OBJECT_TSCONFIGURATION:       "TEXT SEARCH CONFIGURATION",
	pg_query.ObjectType_OBJECT_TSDICTIONARY:          "TEXT SEARCH DICTIONARY",
	pg_query.ObjectType_OBJECT_TSPARSER:              "TEXT SEARCH PARSER",
	pg_query.ObjectType_OBJECT_TSTEMPLATE:            "TEXT SEARCH TEMPLATE",
	pg_query.ObjectType_OBJECT_OPCLASS:               "OPERATOR CLASS",
	pg_query.ObjectType_OBJECT_OPFAMILY:              "OPERATOR FAMILY",
	pg_query.ObjectType_OBJECT_EVENT_TRIGGER:         "EVENT TRIGGER",
	pg_query.ObjectType_OBJECT_LARGEOBJECT:           "LARGE OBJECT",
	pg_query.ObjectType_OBJECT_STATISTIC_EXT:         "STATISTICS",
	pg_query.ObjectType_OBJECT_ACCESS_METHOD:         "ACCESS METHOD",
	pg_query.ObjectType_OBJECT_TABCONSTRAINT:         "CONSTRAINT",
	pg_query.ObjectType_OBJECT_DOMCONSTRAINT:         "CONSTRAINT",
	pg_query.ObjectType_OBJECT_DEFACL:                "DEFAULT PRIVILEGES",
	pg_query.ObjectType_OBJECT_PUBLICATION_REL:       "PUBLICATION",
	pg_query.ObjectType_OBJECT_USER_MAPPING:          "USER MAPPING",
	pg_query.ObjectType_OBJECT_PUBLICATION_NAMESPACE: "PUBLICATION",
}

// ObjectTypeName spells an object type as PostgreSQL's command tags do ("TABLE", "MATERIALIZED VIEW").
func ObjectTypeName(t pg_query.ObjectType) string {
	if s, ok := objectTypeNames[t]; ok {
		return s
	}
	return strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " ")
}

// Classify returns the kind and command tag of a parsed statement.
func Classify(n *pg_query.Node) (Kind, string) {
	if n == nil || n.Node == nil {
		return Empty, ""
	}
	switch s := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		if s.SelectStmt.IntoClause != nil {
			return DDL, "SELECT INTO"
		}
		return Query, "SELECT"
	case *pg_query.Node_InsertStmt:
		return DML, "INSERT"
	case *pg_query.Node_UpdateStmt:
		return DML, "UPDATE"
	case *pg_query.Node_DeleteStmt:
		return DML, "DELETE"
	case *pg_query.Node_MergeStmt:
		return DML, "MERGE"
	case *pg_query.Node_TruncateStmt:
		return DML, "TRUNCATE TABLE"
	case *pg_query.Node_CopyStmt:
		if s.CopyStmt.IsFrom {
			return DML, "COPY"
		}
		return Query, "COPY"
	case *pg_query.Node_TransactionStmt:
		return TransactionControl, transactionTag(s.TransactionStmt.Kind)
	case *pg_query.Node_GrantStmt:
		if s.GrantStmt.IsGrant {
			return DCL, "GRANT"
		}
		return DCL, "REVOKE"
	case *pg_query.Node_GrantRoleStmt:
		if s.GrantRoleStmt.IsGrant {
			return DCL, "GRANT ROLE"
		}
		return DCL, "REVOKE ROLE"
	case *pg_query.Node_AlterDefaultPrivilegesStmt:
		return DCL, "ALTER DEFAULT PRIVILEGES"
	case *pg_query.Node_CreateRoleStmt:
		return DCL, "CREATE ROLE"
	case *pg_query.Node_AlterRoleStmt, *pg_query.Node_AlterRoleSetStmt:
		return DCL, "ALTER ROLE"
	case *pg_query.Node_DropRoleStmt:
		return DCL, "DROP ROLE"
	case *pg_query.Node_ReassignOwnedStmt:
		return DCL, "REASSIGN OWNED"
	case *pg_query.Node_DropOwnedStmt:
		return DCL, "DROP OWNED"
	case *pg_query.Node_CreateStmt:
		return DDL, "CREATE TABLE"
	case *pg_query.Node_CreateTableAsStmt:
		if s.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
			return DDL, "CREATE MATERIALIZED VIEW"
		}
		return DDL, "CREATE TABLE AS"
	case *pg_query.Node_IndexStmt:
		return DDL, "CREATE INDEX"
	case *pg_query.Node_AlterTableStmt:
		return DDL, alterTag(s.AlterTableStmt.Objtype)
	case *pg_query.Node_DropStmt:
		return DDL, "DROP " + ObjectTypeName(s.DropStmt.RemoveType)
	case *pg_query.Node_RenameStmt:
		// A renamed column is tagged by its relation: ALTER VIEW v RENAME COLUMN is ALTER VIEW.
		if s.RenameStmt.RenameType == pg_query.ObjectType_OBJECT_COLUMN {
			return DDL, alterTag(s.RenameStmt.RelationType)
		}
		return DDL, alterTag(s.RenameStmt.RenameType)
	case *pg_query.Node_AlterObjectSchemaStmt:
		return DDL, alterTag(s.AlterObjectSchemaStmt.ObjectType)
	case *pg_query.Node_AlterOwnerStmt:
		return DDL, alterTag(s.AlterOwnerStmt.ObjectType)
	case *pg_query.Node_CommentStmt:
		return DDL, "COMMENT"
	case *pg_query.Node_SecLabelStmt:
		return DDL, "SECURITY LABEL"
	case *pg_query.Node_ViewStmt:
		return DDL, "CREATE VIEW"
	case *pg_query.Node_CreateSchemaStmt:
		return DDL, "CREATE SCHEMA"
	case *pg_query.Node_CreateSeqStmt:
		return DDL, "CREATE SEQUENCE"
	case *pg_query.Node_AlterSeqStmt:
		return DDL, "ALTER SEQUENCE"
	case *pg_query.Node_CreateFunctionStmt:
		if s.CreateFunctionStmt.IsProcedure {
			return DDL, "CREATE PROCEDURE"
		}
		return DDL, "CREATE FUNCTION"
	case *pg_query.Node_AlterFunctionStmt:
		return DDL, "ALTER " + ObjectTypeName(s.AlterFunctionStmt.Objtype)
	case *pg_query.Node_CreateTrigStmt:
		return DDL, "CREATE TRIGGER"
	case *pg_query.Node_CreateEventTrigStmt:
		return DDL, "CREATE EVENT TRIGGER"
	case *pg_query.Node_AlterEventTrigStmt:
		return DDL, "ALTER EVENT TRIGGER"
	case *pg_query.Node_CreateDomainStmt:
		return DDL, "CREATE DOMAIN"
	case *pg_query.Node_AlterDomainStmt:
		return DDL, "ALTER DOMAIN"
	case *pg_query.Node_CreateEnumStmt, *pg_query.Node_CompositeTypeStmt, *pg_query.Node_CreateRangeStmt:
		return DDL, "CREATE TYPE"
	case *pg_query.Node_AlterEnumStmt, *pg_query.Node_AlterTypeStmt:
		return DDL, "ALTER TYPE"
	case *pg_query.Node_DefineStmt:
		return DDL, "CREATE " + ObjectTypeName(s.DefineStmt.Kind)
	case *pg_query.Node_CreateExtensionStmt:
		return DDL, "CREATE EXTENSION"
	case *pg_query.Node_AlterExtensionStmt, *pg_query.Node_AlterExtensionContentsStmt:
		return DDL, "ALTER EXTENSION"
	case *pg_query.Node_CreatePolicyStmt:
		return DDL, "CREATE POLICY"
	case *pg_query.Node_AlterPolicyStmt:
		return DDL, "ALTER POLICY"
	case *pg_query.Node_RuleStmt:
		return DDL, "CREATE RULE"
	case *pg_query.Node_CreatedbStmt:
		return DDL, "CREATE DATABASE"
	case *pg_query.Node_AlterDatabaseStmt, *pg_query.Node_AlterDatabaseSetStmt, *pg_query.Node_AlterDatabaseRefreshCollStmt:
		return DDL, "ALTER DATABASE"
	case *pg_query.Node_DropdbStmt:
		return DDL, "DROP DATABASE"
	case *pg_query.Node_CreateTableSpaceStmt:
		return DDL, "CREATE TABLESPACE"
	case *pg_query.Node_DropTableSpaceStmt:
		return DDL, "DROP TABLESPACE"
	case *pg_query.Node_AlterTableSpaceOptionsStmt:
		return DDL, "ALTER TABLESPACE"
	case *pg_query.Node_AlterTableMoveAllStmt:
		return DDL, alterTag(s.AlterTableMoveAllStmt.Objtype)
	case *pg_query.Node_CreateForeignTableStmt:
		return DDL, "CREATE FOREIGN TABLE"
	case *pg_query.Node_CreateFdwStmt:
		return DDL, "CREATE FOREIGN DATA WRAPPER"
	case *pg_query.Node_AlterFdwStmt:
		return DDL, "ALTER FOREIGN DATA WRAPPER"
	case *pg_query.Node_CreateForeignServerStmt:
		return DDL, "CREATE SERVER"
	case *pg_query.Node_AlterForeignServerStmt:
		return DDL, "ALTER SERVER"
	case *pg_query.Node_CreateUserMappingStmt:
		return DDL, "CREATE USER MAPPING"
	case *pg_query.Node_AlterUserMappingStmt:
		return DDL, "ALTER USER MAPPING"
	case *pg_query.Node_DropUserMappingStmt:
		return DDL, "DROP USER MAPPING"
	case *pg_query.Node_ImportForeignSchemaStmt:
		return DDL, "IMPORT FOREIGN SCHEMA"
	case *pg_query.Node_CreateStatsStmt:
		return DDL, "CREATE STATISTICS"
	case *pg_query.Node_AlterStatsStmt:
		return DDL, "ALTER STATISTICS"
	case *pg_query.Node_CreatePublicationStmt:
		return DDL, "CREATE PUBLICATION"
	case *pg_query.Node_AlterPublicationStmt:
		return DDL, "ALTER PUBLICATION"
	case *pg_query.Node_CreateSubscriptionStmt:
		return DDL, "CREATE SUBSCRIPTION"
	case *pg_query.Node_AlterSubscriptionStmt:
		return DDL, "ALTER SUBSCRIPTION"
	case *pg_query.Node_DropSubscriptionStmt:
		return DDL, "DROP SUBSCRIPTION"
	case *pg_query.Node_CreateCastStmt:
		return DDL, "CREATE CAST"
	case *pg_query.Node_CreateConversionStmt:
		return DDL, "CREATE CONVERSION"
	case *pg_query.Node_CreateTransformStmt:
		return DDL, "CREATE TRANSFORM"
	case *pg_query.Node_CreateOpClassStmt:
		return DDL, "CREATE OPERATOR CLASS"
	case *pg_query.Node_CreateOpFamilyStmt:
		return DDL, "CREATE OPERATOR FAMILY"
	case *pg_query.Node_AlterOpFamilyStmt:
		return DDL, "ALTER OPERATOR FAMILY"
	case *pg_query.Node_AlterOperatorStmt:
		return DDL, "ALTER OPERATOR"
	case *pg_query.Node_CreateAmStmt:
		return DDL, "CREATE ACCESS METHOD"
	case *pg_query.Node_CreatePlangStmt:
		return DDL, "CREATE LANGUAGE"
	case *pg_query.Node_AlterCollationStmt:
		return DDL, "ALTER COLLATION"
	case *pg_query.Node_AlterTsdictionaryStmt:
		return DDL, "ALTER TEXT SEARCH DICTIONARY"
	case *pg_query.Node_AlterTsconfigurationStmt:
		return DDL, "ALTER TEXT SEARCH CONFIGURATION"
	case *pg_query.Node_AlterObjectDependsStmt:
		return DDL, alterTag(s.AlterObjectDependsStmt.ObjectType)
	case *pg_query.Node_RefreshMatViewStmt:
		return DDL, "REFRESH MATERIALIZED VIEW"
	case *pg_query.Node_ReplicaIdentityStmt:
		return DDL, "ALTER TABLE"
	case *pg_query.Node_VacuumStmt:
		if s.VacuumStmt.IsVacuumcmd {
			return Utility, "VACUUM"
		}
		return Utility, "ANALYZE"
	case *pg_query.Node_ClusterStmt:
		return Utility, "CLUSTER"
	case *pg_query.Node_ReindexStmt:
		return Utility, "REINDEX"
	case *pg_query.Node_AlterSystemStmt:
		return Utility, "ALTER SYSTEM"
	case *pg_query.Node_VariableSetStmt:
		if s.VariableSetStmt.Kind == pg_query.VariableSetKind_VAR_RESET || s.VariableSetStmt.Kind == pg_query.VariableSetKind_VAR_RESET_ALL {
			return Utility, "RESET"
		}
		return Utility, "SET"
	case *pg_query.Node_VariableShowStmt:
		return Utility, "SHOW"
	case *pg_query.Node_ExplainStmt:
		return Utility, "EXPLAIN"
	case *pg_query.Node_LockStmt:
		return Utility, "LOCK TABLE"
	case *pg_query.Node_DoStmt:
		return Utility, "DO"
	case *pg_query.Node_CallStmt:
		return Utility, "CALL"
	case *pg_query.Node_CheckPointStmt:
		return Utility, "CHECKPOINT"
	case *pg_query.Node_DiscardStmt:
		return Utility, discardTag(s.DiscardStmt.Target)
	case *pg_query.Node_NotifyStmt:
		return Utility, "NOTIFY"
	case *pg_query.Node_ListenStmt:
		return Utility, "LISTEN"
	case *pg_query.Node_UnlistenStmt:
		return Utility, "UNLISTEN"
	case *pg_query.Node_LoadStmt:
		return Utility, "LOAD"
	case *pg_query.Node_PrepareStmt:
		return Utility, "PREPARE"
	case *pg_query.Node_ExecuteStmt:
		return Utility, "EXECUTE"
	case *pg_query.Node_DeallocateStmt:
		if s.DeallocateStmt.Name == "" {
			return Utility, "DEALLOCATE ALL"
		}
		return Utility, "DEALLOCATE"
	case *pg_query.Node_DeclareCursorStmt:
		return Utility, "DECLARE CURSOR"
	case *pg_query.Node_ClosePortalStmt:
		if s.ClosePortalStmt.Portalname == "" {
			return Utility, "CLOSE CURSOR ALL"
		}
		return Utility, "CLOSE CURSOR"
	case *pg_query.Node_FetchStmt:
		if s.FetchStmt.Ismove {
			return Utility, "MOVE"
		}
		return Utility, "FETCH"
	case *pg_query.Node_ConstraintsSetStmt:
		return Utility, "SET CONSTRAINTS"
	}
	return Utility, "UNKNOWN"
}

// alterTag is the tag of an ALTER of an object type, as PostgreSQL's
// AlterObjectTypeCommandTag spells it: a column or table constraint belongs
// to ALTER TABLE, a domain constraint to ALTER DOMAIN, an attribute to ALTER
// TYPE.
func alterTag(t pg_query.ObjectType) string {
	switch t {
	case pg_query.ObjectType_OBJECT_COLUMN, pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		return "ALTER TABLE"
	case pg_query.ObjectType_OBJECT_DOMCONSTRAINT:
		return "ALTER DOMAIN"
	case pg_query.ObjectType_OBJECT_ATTRIBUTE:
		return "ALTER TYPE"
	}
	return "ALTER " + ObjectTypeName(t)
}

func discardTag(m pg_query.DiscardMode) string {
	switch m {
	case pg_query.DiscardMode_DISCARD_ALL:
		return "DISCARD ALL"
	case pg_query.DiscardMode_DISCARD_PLANS:
		return "DISCARD PLANS"
	case pg_query.DiscardMode_DISCARD_SEQUENCES:
		return "DISCARD SEQUENCES"
	case pg_query.DiscardMode_DISCARD_TEMP:
		return "DISCARD TEMP"
	}
	return "DISCARD"
}

func transactionTag(k pg_query.TransactionStmtKind) string {
	switch k {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
		return "BEGIN"
	case pg_query.TransactionStmtKind_TRANS_STMT_START:
		return "START TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		return "COMMIT"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		return "ROLLBACK"
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return "SAVEPOINT"
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return "RELEASE"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return "ROLLBACK"
	case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
		return "PREPARE TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		return "COMMIT PREPARED"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return "ROLLBACK PREPARED"
	}
	return "TRANSACTION"
}

// IsNonTransactional reports whether PostgreSQL (serverVersionNum in
// server_version_num form, e.g. 150004; 0 = latest) refuses to run the
// statement inside a transaction block (PreventInTransactionBlock):
//
//   - CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY,
//     REINDEX SCHEMA|DATABASE|SYSTEM
//   - VACUUM (not ANALYZE), CLUSTER without a table
//   - CREATE/DROP DATABASE, ALTER DATABASE ... SET TABLESPACE
//   - CREATE/DROP TABLESPACE, ALTER SYSTEM, DISCARD ALL
//   - ALTER TYPE ... ADD VALUE before PostgreSQL 12
//   - ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY
//   - CREATE SUBSCRIPTION (unless connect or create_slot is false), DROP
//     SUBSCRIPTION, ALTER SUBSCRIPTION ... REFRESH PUBLICATION and
//     ... SET|ADD|DROP PUBLICATION with refresh (the default)
//
// REINDEX or CLUSTER of a partitioned table are also refused, but that needs
// the catalog: the statement alone does not say the table is partitioned.
func IsNonTransactional(n *pg_query.Node, serverVersionNum int) bool {
	if n == nil {
		return false
	}
	if serverVersionNum <= 0 {
		serverVersionNum = LatestServerVersion
	}
	switch s := n.Node.(type) {
	case *pg_query.Node_IndexStmt:
		return s.IndexStmt.Concurrent
	case *pg_query.Node_DropStmt:
		return s.DropStmt.Concurrent
	case *pg_query.Node_ReindexStmt:
		switch s.ReindexStmt.Kind {
		case pg_query.ReindexObjectType_REINDEX_OBJECT_SCHEMA, pg_query.ReindexObjectType_REINDEX_OBJECT_SYSTEM, pg_query.ReindexObjectType_REINDEX_OBJECT_DATABASE:
			return true
		}
		return defElemTrue(s.ReindexStmt.Params, "concurrently", false)
	case *pg_query.Node_VacuumStmt:
		return s.VacuumStmt.IsVacuumcmd
	case *pg_query.Node_ClusterStmt:
		return s.ClusterStmt.Relation == nil
	case *pg_query.Node_CreatedbStmt, *pg_query.Node_DropdbStmt,
		*pg_query.Node_CreateTableSpaceStmt, *pg_query.Node_DropTableSpaceStmt,
		*pg_query.Node_AlterSystemStmt:
		return true
	case *pg_query.Node_AlterDatabaseStmt:
		for _, o := range s.AlterDatabaseStmt.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "tablespace" {
				return true
			}
		}
	case *pg_query.Node_DiscardStmt:
		return s.DiscardStmt.Target == pg_query.DiscardMode_DISCARD_ALL
	case *pg_query.Node_AlterEnumStmt:
		return s.AlterEnumStmt.OldVal == "" && s.AlterEnumStmt.NewVal != "" && serverVersionNum < 120000
	case *pg_query.Node_AlterTableStmt:
		for _, c := range s.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil || cmd.Subtype != pg_query.AlterTableType_AT_DetachPartition {
				continue
			}
			if pc := cmd.Def.GetPartitionCmd(); pc != nil && pc.Concurrent {
				return true
			}
		}
	case *pg_query.Node_CreateSubscriptionStmt:
		o := s.CreateSubscriptionStmt.Options
		return defElemTrue(o, "connect", true) && defElemTrue(o, "create_slot", true)
	case *pg_query.Node_DropSubscriptionStmt:
		return true
	case *pg_query.Node_AlterSubscriptionStmt:
		switch s.AlterSubscriptionStmt.Kind {
		case pg_query.AlterSubscriptionType_ALTER_SUBSCRIPTION_REFRESH:
			return true
		case pg_query.AlterSubscriptionType_ALTER_SUBSCRIPTION_SET_PUBLICATION,
			pg_query.AlterSubscriptionType_ALTER_SUBSCRIPTION_ADD_PUBLICATION,
			pg_query.AlterSubscriptionType_ALTER_SUBSCRIPTION_DROP_PUBLICATION:
			return defElemTrue(s.AlterSubscriptionStmt.Options, "refresh", true)
		}
	}
	return false
}

// defElemTrue reports the boolean value of option name in a DefElem list
// (absent = def; an option given without a value means true).
func defElemTrue(opts []*pg_query.Node, name string, def bool) bool {
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, name) {
			continue
		}
		if d.Arg == nil {
			return true
		}
		switch v := d.Arg.Node.(type) {
		case *pg_query.Node_Boolean:
			return v.Boolean.Boolval
		case *pg_query.Node_String_:
			s := strings.ToLower(v.String_.Sval)
			return s == "true" || s == "on" || s == "yes" || s == "1"
		case *pg_query.Node_Integer:
			return v.Integer.Ival != 0
		case *pg_query.Node_TypeName: // unquoted words: on, off, yes, no
			if names := v.TypeName.Names; len(names) == 1 {
				s := strings.ToLower(names[0].GetString_().GetSval())
				return s == "true" || s == "on" || s == "yes"
			}
		case *pg_query.Node_AConst:
			if b := v.AConst.GetBoolval(); b != nil {
				return b.Boolval
			}
			if sv := v.AConst.GetSval(); sv != nil {
				s := strings.ToLower(sv.Sval)
				return s == "true" || s == "on" || s == "yes" || s == "1"
			}
			if iv := v.AConst.GetIval(); iv != nil {
				return iv.Ival != 0
			}
		}
		return def
	}
	return def
}
