package drift

import "github.com/tidemark-dev/tidemark/internal/catalog"

// tableEq is reflect.DeepEqual for tables, written out because tables are
// almost all of a large schema and DeepEqual costs ten times more. Nil and
// empty lists are equal; dependency edges are ignored (they order DDL, they
// are not part of it). TestTableEqSeesEveryField keeps it complete.
func tableEq(a, b *catalog.Table) bool {
	return a.QualifiedName == b.QualifiedName && a.Kind == b.Kind && a.Unlogged == b.Unlogged &&
		a.AccessMethod == b.AccessMethod && a.PartitionKey == b.PartitionKey && a.PartitionBound == b.PartitionBound &&
		qnPtrEq(a.PartitionOf, b.PartitionOf) && sliceEq(a.Inherits, b.Inherits, func(x, y *catalog.QualifiedName) bool { return *x == *y }) &&
		a.RLSEnabled == b.RLSEnabled && a.RLSForced == b.RLSForced && a.ReplicaIdentity == b.ReplicaIdentity &&
		strsEq(a.Options, b.Options) && a.Owner == b.Owner && grantsEq(a.ACL, b.ACL) && strPtrEq(a.Comment, b.Comment) &&
		sliceEq(a.Columns, b.Columns, columnEq) && sliceEq(a.Constraints, b.Constraints, constraintEq) &&
		sliceEq(a.Indexes, b.Indexes, indexEq) && sliceEq(a.Triggers, b.Triggers, triggerEq) && sliceEq(a.Policies, b.Policies, policyEq) &&
		sliceEq(a.Statistics, b.Statistics, statisticsEq) && sliceEq(a.Rules, b.Rules, ruleEq)
}

func columnEq(a, b *catalog.Column) bool {
	return a.Name == b.Name && a.Type == b.Type && a.TypeRef == b.TypeRef && a.Collation == b.Collation &&
		strPtrEq(a.Default, b.Default) && a.NotNull == b.NotNull && a.Identity == b.Identity && a.Generated == b.Generated &&
		intPtrEq(a.StatsTarget, b.StatsTarget) && a.Storage == b.Storage && a.Compression == b.Compression &&
		a.Inherited == b.Inherited && strsEq(a.Options, b.Options) && grantsEq(a.ACL, b.ACL) && strPtrEq(a.Comment, b.Comment) &&
		ptrEq(a.IdentitySequence, b.IdentitySequence, sequenceEq)
}

func sequenceEq(a, b *catalog.Sequence) bool {
	return a.QualifiedName == b.QualifiedName && a.DataType == b.DataType && a.Start == b.Start && a.Increment == b.Increment &&
		a.Min == b.Min && a.Max == b.Max && a.Cache == b.Cache && a.Cycle == b.Cycle && a.Unlogged == b.Unlogged &&
		ptrEq(a.OwnedBy, b.OwnedBy, func(x, y *catalog.ColumnRef) bool { return *x == *y }) &&
		a.Owner == b.Owner && grantsEq(a.ACL, b.ACL) && strPtrEq(a.Comment, b.Comment)
}

func constraintEq(a, b *catalog.Constraint) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Definition == b.Definition && strsEq(a.Columns, b.Columns) &&
		a.Index == b.Index && a.NullsNotDistinct == b.NullsNotDistinct && a.Deferrable == b.Deferrable &&
		a.InitiallyDeferred == b.InitiallyDeferred && a.NotValid == b.NotValid && a.NoInherit == b.NoInherit &&
		a.Inherited == b.Inherited && qnPtrEq(a.RefTable, b.RefTable) && strsEq(a.RefColumns, b.RefColumns) &&
		a.MatchType == b.MatchType && a.OnUpdate == b.OnUpdate && a.OnDelete == b.OnDelete && strPtrEq(a.Comment, b.Comment)
}

func indexEq(a, b *catalog.Index) bool {
	return a.Name == b.Name && a.Definition == b.Definition && a.Method == b.Method && a.Unique == b.Unique &&
		a.NullsNotDistinct == b.NullsNotDistinct && a.Primary == b.Primary && a.Constraint == b.Constraint &&
		sliceEq(a.Keys, b.Keys, indexKeyEq) && strsEq(a.Include, b.Include) && a.Predicate == b.Predicate &&
		strsEq(a.Options, b.Options) && a.Partitioned == b.Partitioned && qnPtrEq(a.ParentIndex, b.ParentIndex) &&
		a.Valid == b.Valid && a.ReplicaIdentity == b.ReplicaIdentity && a.Clustered == b.Clustered && strPtrEq(a.Comment, b.Comment)
}

func indexKeyEq(a, b *catalog.IndexKey) bool {
	return a.Column == b.Column && a.Expression == b.Expression && a.Collation == b.Collation && a.OpClass == b.OpClass &&
		strsEq(a.OpClassOptions, b.OpClassOptions) && a.Descending == b.Descending && a.NullsFirst == b.NullsFirst &&
		a.NullsLast == b.NullsLast && intPtrEq(a.StatsTarget, b.StatsTarget)
}

func triggerEq(a, b *catalog.Trigger) bool {
	return a.Name == b.Name && a.Definition == b.Definition && a.Function == b.Function && a.Timing == b.Timing &&
		strsEq(a.Events, b.Events) && strsEq(a.UpdateOf, b.UpdateOf) && a.ForEachRow == b.ForEachRow && a.When == b.When &&
		a.Constraint == b.Constraint && a.Deferrable == b.Deferrable && a.InitiallyDeferred == b.InitiallyDeferred &&
		a.Enabled == b.Enabled && strPtrEq(a.Comment, b.Comment)
}

func policyEq(a, b *catalog.Policy) bool {
	return a.Name == b.Name && a.Permissive == b.Permissive && a.Command == b.Command && strsEq(a.Roles, b.Roles) &&
		a.Using == b.Using && a.WithCheck == b.WithCheck && strPtrEq(a.Comment, b.Comment)
}

func ruleEq(a, b *catalog.Rule) bool {
	return a.Name == b.Name && a.Event == b.Event && a.Definition == b.Definition && a.Enabled == b.Enabled && strPtrEq(a.Comment, b.Comment)
}

func statisticsEq(a, b *catalog.Statistics) bool {
	return a.Schema == b.Schema && a.Name == b.Name && a.Definition == b.Definition && strsEq(a.Columns, b.Columns) &&
		strsEq(a.Kinds, b.Kinds) && intPtrEq(a.StatsTarget, b.StatsTarget) && a.Owner == b.Owner && strPtrEq(a.Comment, b.Comment)
}

func sliceEq[T any](a, b []T, eq func(x, y *T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !eq(&a[i], &b[i]) {
			return false
		}
	}
	return true
}

func ptrEq[T any](a, b *T, eq func(x, y *T) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return eq(a, b)
}

func strsEq(a, b []string) bool { return equal(a, b) }
func qnPtrEq(a, b *catalog.QualifiedName) bool {
	return ptrEq(a, b, func(x, y *catalog.QualifiedName) bool { return *x == *y })
}
func strPtrEq(a, b *string) bool { return ptrEq(a, b, func(x, y *string) bool { return *x == *y }) }
func intPtrEq(a, b *int) bool    { return ptrEq(a, b, func(x, y *int) bool { return *x == *y }) }
func grantsEq(a, b []catalog.Grant) bool {
	return sliceEq(a, b, func(x, y *catalog.Grant) bool { return *x == *y })
}
