package catalog

import (
	"sort"
	"strings"
)

// aclKind is the object class whose built-in default ACL (acldefault) applies.
type aclKind int

const (
	aclTable aclKind = iota
	aclSequence
	aclFunction
	aclType
	aclSchema
)

// privilegeRank is the canonical order privileges are listed in (-1: unknown).
func privilegeRank(p string) int {
	for i, x := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
		"MAINTAIN", "USAGE", "CREATE", "EXECUTE", "CONNECT", "TEMPORARY"} {
		if x == p {
			return i
		}
	}
	return -1
}

// ownerDefaults lists the privileges the owner holds by default, per kind.
// Tables accept both the 13-16 set and 17's (which adds MAINTAIN).
func ownerDefaults(k aclKind) [][]string {
	switch k {
	case aclTable:
		base := []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}
		return [][]string{base, append(append([]string{}, base...), "MAINTAIN")}
	case aclSequence:
		return [][]string{{"SELECT", "UPDATE", "USAGE"}}
	case aclFunction:
		return [][]string{{"EXECUTE"}}
	case aclType:
		return [][]string{{"USAGE"}}
	case aclSchema:
		return [][]string{{"USAGE", "CREATE"}}
	}
	return nil
}

// publicDefault is the privilege PUBLIC holds by default, or "".
func publicDefault(k aclKind) string {
	switch k {
	case aclFunction:
		return "EXECUTE"
	case aclType:
		return "USAGE"
	}
	return ""
}

func grantSet(g []Grant) map[string]bool {
	m := make(map[string]bool, len(g))
	for _, x := range g {
		m[x.Grantee+"|"+x.Privilege+"|"+boolStr(x.Grantable)] = true
	}
	return m
}

func boolStr(b bool) string {
	if b {
		return "t"
	}
	return "f"
}

// isDefaultACL reports whether acl is what the object would get by default.
func isDefaultACL(k aclKind, owner string, acl []Grant) bool {
	have := grantSet(acl)
	for _, privs := range ownerDefaults(k) {
		want := map[string]bool{}
		for _, p := range privs {
			want[owner+"|"+p+"|f"] = true
		}
		if p := publicDefault(k); p != "" {
			want["PUBLIC|"+p+"|f"] = true
		}
		if len(want) == len(have) {
			same := true
			for x := range want {
				if !have[x] {
					same = false
					break
				}
			}
			if same {
				return true
			}
		}
	}
	return false
}

type grantGroup struct {
	grantee   string
	grantable bool
	privs     []string
}

func (g grantGroup) option() string {
	if g.grantable {
		return " WITH GRANT OPTION"
	}
	return ""
}

// groupGrants groups grants by grantee and grant option, privileges in
// canonical order, groups sorted by grantee.
func groupGrants(acl []Grant) []grantGroup {
	idx := map[string]int{}
	var out []grantGroup
	for _, g := range acl {
		k := g.Grantee + "|" + boolStr(g.Grantable)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, grantGroup{grantee: g.Grantee, grantable: g.Grantable})
		}
		if !containsStr(out[i].privs, g.Privilege) {
			out[i].privs = append(out[i].privs, g.Privilege)
		}
	}
	for i := range out {
		p := out[i].privs
		sort.Slice(p, func(a, b int) bool {
			oa, ob := privilegeRank(p[a]), privilegeRank(p[b])
			okA, okB := oa >= 0, ob >= 0
			if okA && okB {
				return oa < ob
			}
			if okA != okB {
				return okA
			}
			return p[a] < p[b]
		})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].grantee != out[b].grantee {
			return out[a].grantee < out[b].grantee
		}
		return !out[a].grantable && out[b].grantable
	})
	return out
}

func containsStr(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func grantee(g string) string {
	if g == "PUBLIC" {
		return "PUBLIC"
	}
	return QuoteIdent(g)
}

// acl adds the GRANT/REVOKE statements that turn the default ACL of an
// object into acl (nothing when they are equal).
func (d *dumper) acl(objKey, word, name string, k aclKind, owner string, acl []Grant) {
	if !d.priv || owner == "" || isDefaultACL(k, owner, acl) {
		return
	}
	var st []string
	if publicDefault(k) != "" {
		st = append(st, "REVOKE ALL ON "+word+" "+name+" FROM PUBLIC")
	}
	st = append(st, "REVOKE ALL ON "+word+" "+name+" FROM "+QuoteIdent(owner))
	for _, g := range groupGrants(acl) {
		st = append(st, "GRANT "+strings.Join(g.privs, ", ")+" ON "+word+" "+name+" TO "+grantee(g.grantee)+g.option())
	}
	d.add(ACLNodeKey(objKey), rankACL, st, objKey, barrierKey)
}

func (d *dumper) defaultPrivilege(p DefaultPrivilege) {
	target := "ALTER DEFAULT PRIVILEGES FOR ROLE " + QuoteIdent(p.Role)
	if p.Schema != "" {
		target += " IN SCHEMA " + QuoteIdent(p.Schema)
	}
	objs := strings.ToUpper(p.ObjectType)
	var st []string
	if p.Schema == "" {
		// A global entry replaces the built-in defaults.
		if objs == "FUNCTIONS" || objs == "TYPES" {
			st = append(st, target+" REVOKE ALL ON "+objs+" FROM PUBLIC")
		}
		st = append(st, target+" REVOKE ALL ON "+objs+" FROM "+QuoteIdent(p.Role))
	}
	for _, g := range groupGrants(p.Grants) {
		st = append(st, target+" GRANT "+strings.Join(g.privs, ", ")+" ON "+objs+" TO "+grantee(g.grantee)+g.option())
	}
	d.add("defacl:"+QuoteIdent(p.Role)+"."+QuoteIdent(p.Schema)+"."+p.ObjectType, rankDefaultACL, st, barrierKey)
}
