package targets

import (
	"fmt"
	"go/ast"
	"go/token"
	"iter"
	"strings"
)

// Directive kinds.
const (
	DirAgent   = "agent"
	DirWorker  = "worker"
	DirNoRetry = "noretry"
	DirIgnore  = "ignore"
)

// Directive is one //resilience:<kind> [reason] comment line.
type Directive struct {
	Kind   string
	Reason string
	Pos    token.Pos
}

// Directives returns the //resilience: directives of a doc comment.
func Directives(doc *ast.CommentGroup) []Directive {
	if doc == nil {
		return nil
	}
	var out []Directive
	for _, c := range doc.List {
		text, ok := strings.CutPrefix(c.Text, "//resilience:")
		if !ok {
			continue
		}
		kind, reason, _ := strings.Cut(text, " ")
		// A trailing "// ..." comment is not a reason.
		reason, _, _ = strings.Cut(reason, "//")
		out = append(out, Directive{Kind: strings.TrimSpace(kind), Reason: strings.TrimSpace(reason), Pos: c.Slash})
	}
	return out
}

// Find returns the first directive of the given kind, or nil.
func Find(dirs []Directive, kind string) *Directive {
	for i := range dirs {
		if dirs[i].Kind == kind {
			return &dirs[i]
		}
	}
	return nil
}

// Exemption returns the reason a method of t is exempt from the analyzer
// whose method-level directive is kind (noretry for retrycoverage; ""
// for intelcoverage), and whether it is. //resilience:ignore on the
// method or on the type exempts from both. Directives without a reason
// do not exempt (they are reported as problems).
func Exemption(t *Type, m *Method, kind string) (string, bool) {
	for _, d := range m.Dirs {
		if d.Reason != "" && (d.Kind == DirIgnore || (kind != "" && d.Kind == kind)) {
			return fmt.Sprintf("//resilience:%s %s", d.Kind, d.Reason), true
		}
	}
	if d := Find(t.Dirs, DirIgnore); d != nil && d.Reason != "" {
		return fmt.Sprintf("//resilience:ignore %s (on type %s)", d.Reason, t.Obj.Name()), true
	}
	return "", false
}

// typeSpecs yields the type specs of f with the doc comment their
// directives are read from: the spec's own, or the declaration's when it
// declares this one type alone (type T struct{...} with the comment above
// "type").
func typeSpecs(f *ast.File) iter.Seq2[*ast.TypeSpec, *ast.CommentGroup] {
	return func(yield func(*ast.TypeSpec, *ast.CommentGroup) bool) {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				if !yield(ts, doc) {
					return
				}
			}
		}
	}
}
