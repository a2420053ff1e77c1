package query

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tidemark-dev/tidemark/internal/sqlparse"
	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Fence names one of the three read-only fences.
type Fence string

// The fences, in the order a statement meets them.
const (
	FenceAllowList Fence = "allow-list"       // the statement allow-list from the parse tree
	FenceServer    Fence = "server"           // read-only transaction enforced by PostgreSQL
	FencePersist   Fence = "nothing-persists" // rollback and DISCARD ALL
)

// adminHint is the hint of every refusal.
const adminHint = "Read-only mode runs only SELECT, VALUES, TABLE, EXPLAIN (without ANALYZE) and SHOW. If you really mean to change the database, switch to admin mode."

// Refusal is a statement the allow-list refused before it was sent.
type Refusal struct {
	Fence  Fence
	Kind   string // the statement kind or function named, e.g. "DELETE", "function pg_terminate_backend"
	Reason string
	Offset int // byte offset in the script of the statement (or the call)
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("refused by the read-only %s fence: %s", r.Fence, r.Reason)
}

// UserError renders the refusal for people: which fence, why, and the hint
// to use admin mode.
func (r *Refusal) UserError() *usererr.Error {
	return &usererr.Error{Message: r.Error(), Hint: adminHint, Field: "statement", Err: r}
}

// deniedFuncs are functions with effects outside the transaction (or that run
// SQL given as text), refused by name in read-only mode.
var deniedFuncs = map[string]string{
	"pg_terminate_backend":           "signals another server process",
	"pg_cancel_backend":              "signals another server process",
	"pg_reload_conf":                 "signals the server",
	"pg_rotate_logfile":              "signals the server",
	"pg_switch_wal":                  "switches the write-ahead log",
	"pg_create_restore_point":        "writes to the write-ahead log",
	"pg_promote":                     "promotes a standby",
	"pg_backup_start":                "starts a backup",
	"pg_backup_stop":                 "stops a backup",
	"pg_start_backup":                "starts a backup",
	"pg_stop_backup":                 "stops a backup",
	"pg_wal_replay_pause":            "pauses recovery",
	"pg_wal_replay_resume":           "resumes recovery",
	"pg_log_backend_memory_contexts": "signals another server process",
	"pg_import_system_collations":    "creates collations",
	"set_config":                     "changes a setting of the session",
	"pg_notify":                      "sends a notification",
	"nextval":                        "advances a sequence (not undone by rollback)",
	"setval":                         "sets a sequence (not undone by rollback)",
	"query_to_xml":                   "runs SQL given as text",
	"query_to_xmlschema":             "runs SQL given as text",
	"query_to_xml_and_xmlschema":     "runs SQL given as text",
	"cursor_to_xml":                  "reads a cursor",
	"cursor_to_xmlschema":            "reads a cursor",
	"pg_stat_file":                   "reads the server's file system",
	"pg_current_logfile":             "reads the server's file system",
	"txid_current":                   "assigns a transaction id",
	"pg_current_xact_id":             "assigns a transaction id",
}

// deniedPrefixes refuse function families by the start of their name.
var deniedPrefixes = []struct{ prefix, why string }{
	{"pg_advisory", "takes an advisory lock"},
	{"pg_try_advisory", "takes an advisory lock"},
	{"lo_", "reads or writes large objects or server files"},
	{"loread", "reads large objects"},
	{"lowrite", "writes large objects"},
	{"dblink", "runs SQL on another connection"},
	{"pg_file_", "writes server files (adminpack)"},
	{"pg_read_", "reads the server's file system"},
	{"pg_ls_", "lists the server's file system"},
	{"pg_logdir_ls", "lists the server's file system"},
	{"pg_stat_reset", "resets statistics"},
	{"pg_create_", "creates replication slots"},
	{"pg_drop_replication_slot", "drops a replication slot"},
	{"pg_replication_origin_", "changes replication origins"},
	{"pg_replication_slot_advance", "advances a replication slot"},
	{"pg_logical_slot_", "consumes a replication slot"},
	{"pg_logical_emit_message", "writes to the write-ahead log"},
	{"pg_sequence_", "changes a sequence"},
}

// deniedFunc returns why the function called name is refused, or "".
func deniedFunc(name string) string {
	name = strings.ToLower(name)
	if why, ok := deniedFuncs[name]; ok {
		return why
	}
	for _, p := range deniedPrefixes {
		if strings.HasPrefix(name, p.prefix) {
			return p.why
		}
	}
	return ""
}

// Check is the allow-list fence: it returns nil when the statement may run
// in read-only mode, a *Refusal naming the statement kind otherwise.
func Check(st sqlparse.Statement) *Refusal {
	refuse := func(kind, reason string, off int) *Refusal {
		return &Refusal{Fence: FenceAllowList, Kind: kind, Reason: reason, Offset: off}
	}
	if st.Kind == sqlparse.MetaCommand {
		return refuse(st.Tag, fmt.Sprintf("%s is a psql meta-command, not SQL", st.Tag), st.Start)
	}
	if st.Node == nil || st.Node.Node == nil {
		return nil
	}
	var query protoreflect.Message
	switch s := st.Node.Node.(type) {
	case *pg_query.Node_SelectStmt:
		query = s.SelectStmt.ProtoReflect()
	case *pg_query.Node_VariableShowStmt:
		return nil
	case *pg_query.Node_ExplainStmt:
		for _, o := range s.ExplainStmt.Options {
			if d := o.GetDefElem(); d != nil && strings.EqualFold(d.Defname, "analyze") && !isFalse(d.Arg) {
				return refuse("EXPLAIN ANALYZE", "EXPLAIN ANALYZE executes the statement", st.Start)
			}
		}
		if _, ok := s.ExplainStmt.Query.GetNode().(*pg_query.Node_SelectStmt); !ok {
			k, tag := sqlparse.Classify(s.ExplainStmt.Query)
			_ = k
			return refuse("EXPLAIN "+tag, fmt.Sprintf("EXPLAIN of %s is not a read-only query", tag), st.Start)
		}
		query = s.ExplainStmt.Query.ProtoReflect()
	default:
		tag := st.Tag
		if tag == "" {
			_, tag = sqlparse.Classify(st.Node)
		}
		return refuse(tag, fmt.Sprintf("%s is not a read-only statement", tag), st.Start)
	}
	return checkTree(query, st, refuse)
}

// checkTree walks a query's whole parse tree for what makes a SELECT write
// or escape: INTO, row locks, data-modifying statements anywhere (CTEs) and
// refused function calls.
func checkTree(m protoreflect.Message, st sqlparse.Statement, refuse func(kind, reason string, off int) *Refusal) *Refusal {
	var out *Refusal
	walk(m, func(m protoreflect.Message) bool {
		switch n := m.Interface().(type) {
		case *pg_query.SelectStmt:
			if n.IntoClause != nil {
				out = refuse("SELECT INTO", "SELECT ... INTO creates a table", st.Start)
			} else if len(n.LockingClause) > 0 {
				out = refuse("SELECT FOR UPDATE/SHARE", "SELECT ... FOR UPDATE/SHARE locks rows", st.Start)
			}
		case *pg_query.InsertStmt:
			out = refuse("INSERT", "a data-modifying INSERT inside the query", st.Start)
		case *pg_query.UpdateStmt:
			out = refuse("UPDATE", "a data-modifying UPDATE inside the query", st.Start)
		case *pg_query.DeleteStmt:
			out = refuse("DELETE", "a data-modifying DELETE inside the query", st.Start)
		case *pg_query.MergeStmt:
			out = refuse("MERGE", "a data-modifying MERGE inside the query", st.Start)
		case *pg_query.FuncCall:
			if len(n.Funcname) > 0 {
				name := n.Funcname[len(n.Funcname)-1].GetString_().GetSval()
				if why := deniedFunc(name); why != "" {
					off := st.Start
					if n.Location >= 0 {
						off = st.NodeOffset + int(n.Location)
					}
					out = refuse("function "+name, fmt.Sprintf("function %s %s", name, why), off)
				}
			}
		}
		return out == nil
	})
	return out
}

// isFalse reports whether an EXPLAIN option argument turns it off.
func isFalse(arg *pg_query.Node) bool {
	if arg == nil {
		return false
	}
	switch v := arg.Node.(type) {
	case *pg_query.Node_String_:
		s := strings.ToLower(v.String_.Sval)
		return s == "false" || s == "off" || s == "0"
	case *pg_query.Node_AConst:
		if b := v.AConst.GetBoolval(); b != nil {
			return !b.Boolval
		}
		if i := v.AConst.GetIval(); i != nil {
			return i.Ival == 0
		}
		if s := v.AConst.GetSval(); s != nil {
			l := strings.ToLower(s.Sval)
			return l == "false" || l == "off"
		}
	case *pg_query.Node_Boolean:
		return !v.Boolean.Boolval
	}
	return false
}

// walk calls f on m and every message below it, depth first, while f
// returns true.
func walk(m protoreflect.Message, f func(protoreflect.Message) bool) bool {
	if !m.IsValid() {
		return true
	}
	if !f(m) {
		return false
	}
	ok := true
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len() && ok; i++ {
				ok = walk(l.Get(i).Message(), f)
			}
		case fd.IsMap():
		case fd.Message() != nil:
			ok = walk(v.Message(), f)
		}
		return ok
	})
	return ok
}
