package erd

import (
	"strings"
)

// Mermaid renders the diagram as a Mermaid erDiagram (the text GitHub,
// GitLab and most wikis draw): one entity per table, its columns with PK
// and FK marks, one relationship per foreign key from the referenced table
// (exactly one, or zero or one when a key column is nullable) to the
// referencing one (zero or more), labelled with the constraint. Mermaid
// names are ASCII letters, digits and underscores, so a table's is its schema and
// name joined by "__", other characters as "_"; types are written the same
// way ("character_varying(100)" as "character_varying_100_"). Dropped marks
// are left out: it is the diagram of the model as it is.
func (d Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("erDiagram\n")
	names := map[string]string{}
	for _, t := range d.Tables {
		if t.Mark == "dropped" {
			continue
		}
		n := mermaidName(t.Schema + "__" + t.Name)
		names[t.ID] = n
		b.WriteString("    " + n + " {\n")
		for _, c := range t.Columns {
			if c.Mark == "dropped" {
				continue
			}
			b.WriteString("        " + mermaidName(c.Type) + " " + mermaidName(c.Name))
			var keys []string
			if c.PrimaryKey {
				keys = append(keys, "PK")
			}
			if c.ForeignKey {
				keys = append(keys, "FK")
			}
			if len(keys) > 0 {
				b.WriteString(" " + strings.Join(keys, ","))
			}
			if !c.Nullable {
				b.WriteString(` "not null"`)
			}
			b.WriteString("\n")
		}
		b.WriteString("    }\n")
	}
	nullable := map[string]map[string]bool{}
	for _, t := range d.Tables {
		m := map[string]bool{}
		for _, c := range t.Columns {
			m[c.Name] = c.Nullable
		}
		nullable[t.ID] = m
	}
	for _, e := range d.Edges {
		from, okf := names[e.From]
		to, okt := names[e.To]
		if e.Mark == "dropped" || !okf || !okt {
			continue
		}
		ref := "||"
		for _, c := range e.Columns {
			if nullable[e.From][c] {
				ref = "|o"
			}
		}
		b.WriteString("    " + to + " " + ref + "--o{ " + from + ` : "` + strings.ReplaceAll(e.Name, `"`, "'") + `"` + "\n")
	}
	return b.String()
}

// mermaidName keeps ASCII letters, digits and underscores, writing "_" for any
// other character (and before a leading digit).
func mermaidName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}
