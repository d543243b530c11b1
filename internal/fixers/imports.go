package fixers

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// importName returns the name under which the wrapper code, at w.pos, can
// refer to the package path, and the edit adding an import when the file
// has none usable there. An existing import is reused when its name is not
// hidden at w.pos (by a parameter named context, say); otherwise the first
// of the candidate names (then with a number appended) that nothing at
// w.pos declares is imported, as an alias when it is not the package's own
// name.
func (w *wrap) importName(path, name string, alternatives ...string) (string, []analysis.TextEdit, error) {
	info := w.pass.TypesInfo
	for _, spec := range w.file.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
			continue
		}
		var obj types.Object
		if spec.Name != nil {
			obj = info.Defs[spec.Name]
		} else {
			obj = info.Implicits[spec]
		}
		pn, ok := obj.(*types.PkgName)
		if !ok || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		if _, got := w.scope.LookupParent(pn.Name(), w.pos); got == pn {
			return pn.Name(), nil, nil
		}
	}
	candidates := append([]string{name}, alternatives...)
	for i := 0; i < 10; i++ {
		for _, c := range candidates {
			if i > 0 {
				c += strconv.Itoa(i + 1)
			}
			if _, obj := w.scope.LookupParent(c, w.pos); obj != nil {
				continue
			}
			alias := c
			if c == name {
				alias = ""
			}
			return c, importEdits(w.pass.Fset, w.file, w.source(), path, alias), nil
		}
	}
	return "", nil, errorf("%s: no free name to import %s under", w.name(), path)
}

// importEdits returns the insertions that add an import of path (under
// alias, if not empty) to file, whose source is src (nil if unknown). They
// depend only on the original file, so that fixes adding the same import
// produce identical edits. In a parenthesized import declaration the spec
// goes, sorted, into the group of the same kind (standard library or not;
// among the others, the group sharing the longest path prefix), or into a
// new group; otherwise it becomes an import declaration of its own at the
// end of the line of the last one (or of the package clause), and a blank
// line is inserted before the next declaration if there is none, as gofmt
// wants. (Both edits are the same for every import, so several imports
// added there, by one fix or several, stay gofmt-formatted.)
func importEdits(fset *token.FileSet, file *ast.File, src []byte, path, alias string) []analysis.TextEdit {
	spec := strconv.Quote(path)
	if alias != "" {
		spec = alias + " " + spec
	}
	tf := fset.File(file.Pos())
	line := func(p token.Pos) int { return fileLine(tf, p) }
	// nextLine returns the start of the line after the one holding p, or
	// ok=false at the last line.
	nextLine := func(p token.Pos) (token.Pos, bool) {
		l := fileLine(tf, p)
		if l >= tf.LineCount() {
			return token.NoPos, false
		}
		return tf.LineStart(l + 1), true
	}
	insert := func(p token.Pos, text string) []analysis.TextEdit {
		return []analysis.TextEdit{{Pos: p, End: p, NewText: []byte(text)}}
	}

	var decl *ast.GenDecl
	last := file.Name.End()
	for _, d := range file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		last = g.End()
		if decl == nil && g.Lparen.IsValid() && wellFormed(tf, g) {
			decl = g
		}
	}
	if decl == nil {
		text := "\nimport " + spec
		if last == file.Name.End() {
			text = "\n" + text // a blank line after the package clause
		}
		next, ok := nextLine(last)
		if !ok {
			return insert(token.Pos(tf.Base()+tf.Size()), text)
		}
		edits := insert(next-1, text) // before the newline ending last's line
		if src == nil || !blankLine(src, tf.Offset(next)) {
			edits = append(edits, insert(next, "\n")...)
		}
		return edits
	}

	// Groups as gofmt sorts them: runs of specs without a line between.
	var groups [][]*ast.ImportSpec
	for i, s := range decl.Specs {
		is := s.(*ast.ImportSpec)
		if i == 0 || line(is.Pos()) > line(decl.Specs[i-1].End())+1 {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], is)
	}
	std := isStd(path)
	target, best := -1, -1
	for i, g := range groups {
		for _, s := range g {
			p := importPath(s)
			if isStd(p) != std {
				continue
			}
			n := commonPrefix(p, path)
			if std {
				n = 0
			}
			if n > best {
				target, best = i, n
			}
		}
		if std && target >= 0 {
			break
		}
	}
	if target < 0 {
		// New groups and appended specs are inserted at distinct places
		// (end of the "import (" line, start of the ")" line, end of a
		// group's last line), so that the insertions of different fixes
		// do not meet at one offset, where their order would be the
		// driver's choice.
		if std {
			p, _ := nextLine(decl.Lparen)
			return insert(p-1, "\n\t"+spec+"\n")
		}
		return insert(tf.LineStart(line(decl.Rparen)), "\n\t"+spec+"\n")
	}
	// Between two lines there are two places: the end of the first and
	// the start of the second. Recovery takes the second and every other
	// import the first, so that a retry fix and a tracking fix adding
	// recovery and intelligence at the same line of the same group leave
	// them sorted whatever the order the driver merges them in.
	at := func(lineStart token.Pos) []analysis.TextEdit {
		if path == targets.RecoveryPath {
			return insert(lineStart, "\t"+spec+"\n")
		}
		return insert(lineStart-1, "\n\t"+spec)
	}
	g := groups[target]
	for _, s := range g {
		p, n := importPath(s), ""
		if s.Name != nil {
			n = s.Name.Name
		}
		if p > path || (p == path && n > alias) {
			start := s.Pos()
			if s.Doc != nil {
				start = s.Doc.Pos()
			}
			return at(tf.LineStart(line(start)))
		}
	}
	p, _ := nextLine(g[len(g)-1].End())
	return at(p)
}

// wellFormed reports whether the parenthesized import declaration has its
// parentheses and specs on lines of their own, as gofmt leaves it.
func wellFormed(tf *token.File, g *ast.GenDecl) bool {
	if len(g.Specs) == 0 {
		return false
	}
	prev := fileLine(tf, g.Lparen)
	for _, s := range g.Specs {
		is := s.(*ast.ImportSpec)
		start := is.Pos()
		if is.Doc != nil {
			start = is.Doc.Pos()
		}
		if fileLine(tf, start) <= prev {
			return false
		}
		prev = fileLine(tf, is.End())
		if is.Comment != nil {
			prev = fileLine(tf, is.Comment.End())
		}
	}
	return fileLine(tf, g.Rparen) > prev
}

func importPath(s *ast.ImportSpec) string {
	p, _ := strconv.Unquote(s.Path.Value)
	return p
}

// isStd reports whether path looks like a standard library path: no dot in
// its first element.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// blankLine reports whether the line starting at offset off of src holds
// only white space.
func blankLine(src []byte, off int) bool {
	for ; off < len(src) && src[off] != '\n'; off++ {
		if src[off] != ' ' && src[off] != '\t' && src[off] != '\r' {
			return false
		}
	}
	return true
}

// fileLine returns the line of p as counted in tf, ignoring //line
// directives: the lines the edits are made in, which tf.LineStart takes.
func fileLine(tf *token.File, p token.Pos) int {
	return tf.PositionFor(p, false).Line
}
