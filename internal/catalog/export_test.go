package catalog

// DumpParallelFrom is Dump rendering tables on several goroutines as soon
// as there are n tables, so tests can compare it with the serial rendering
// on schemas of any size.
func DumpParallelFrom(s Schema, opts DumpOptions, n int) []byte { return dump(s, opts, n) }
