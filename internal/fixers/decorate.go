package fixers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// decorated is the method being rewritten as a dst tree. dec maps the
// pass's ast nodes of the method (and, for a whole decorated file, of
// every other declaration) to their dst nodes, so the rewrite can find
// the statements and fields it edits by their ast nodes.
type decorated struct {
	dec   *decorator.Decorator
	file  *dst.File
	decl  *dst.FuncDecl
	index int // the method's index among file's declarations
	// wrapper is the declaration of the wrapper function, decorated
	// apart from file: the rewrite moves its return statement into decl.
	wrapper *dst.FuncDecl
}

// decorate returns the method as a dst tree, and the declaration of the
// wrapper function (Go source), decorated on their own when the file's
// source is readable: the lines of the method and the wrapper are parsed
// as one small file, and that file is decorated, so the work
// (dst walks the source byte by byte to place line breaks, then the
// rewrite is printed and re-parsed) is proportional to the method, not
// to the file it is in. Printing one declaration gives the same text as
// printing it in its file (gofmt formats declarations independently;
// the method's doc comment, which gofmt also reformats, is not part of
// the edit). When the source cannot be read, or does not match the
// pass's syntax tree, the whole file is decorated instead.
func (w *wrap) decorate(wrapper string) (*decorated, error) {
	if !decorateWholeFile {
		if d := w.decorateMethod(wrapper); d != nil {
			return d, nil
		}
	}
	sf, err := decorator.NewDecorator(nil).Parse(methodHeader + "\n" + wrapper)
	if err != nil || len(sf.Decls) != 1 {
		return nil, errorf("%s: internal error: wrapper does not parse: %v", w.name(), err)
	}
	wfd, ok := sf.Decls[0].(*dst.FuncDecl)
	if !ok {
		return nil, errorf("%s: internal error: wrapper is not a function", w.name())
	}
	dec := decorator.NewDecorator(w.pass.Fset)
	df, err := dec.DecorateFile(w.file)
	if err != nil {
		return nil, errorf("%s: cannot decorate the file: %v", w.name(), err)
	}
	dfd, ok := dec.Dst.Nodes[w.decl].(*dst.FuncDecl)
	if !ok {
		return nil, errorf("%s: internal error: method not found in the decorated file", w.name())
	}
	return &decorated{dec: dec, file: df, decl: dfd, index: slices.Index(w.file.Decls, ast.Decl(w.decl)), wrapper: wfd}, nil
}

// decorateWholeFile makes decorate always decorate the whole file (set
// by tests comparing both ways).
var decorateWholeFile = false

// methodHeader is the package clause of the file a method is re-parsed
// in by decorateMethod.
const methodHeader = "package p\n"

// decorateMethod decorates the method alone, with the wrapper after it
// (see decorate), or returns nil when the source is not readable, the
// method does not start its line, the two do not parse, or the re-parsed
// method differs from the pass's in any node, name, literal, operator or
// comment.
func (w *wrap) decorateMethod(wrapper string) *decorated {
	src := w.source()
	tf := w.pass.Fset.File(w.decl.Pos())
	if src == nil || tf == nil {
		return nil
	}
	// The line as counted in the file: //line directives do not count.
	start := tf.LineStart(tf.PositionFor(w.decl.Pos(), false).Line)
	lo, hi := tf.Offset(start), tf.Offset(w.decl.End())
	if strings.TrimSpace(string(src[lo:tf.Offset(w.decl.Pos())])) != "" {
		return nil
	}
	fset := token.NewFileSet()
	method := methodHeader + string(src[lo:hi])
	f, err := parser.ParseFile(fset, "", method+"\n\n"+wrapper, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 2 {
		return nil
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok {
		return nil
	}
	mtf := fset.File(f.Pos())
	orig, mini := nodes(w.decl), nodes(fd)
	if len(orig) != len(mini) {
		return nil
	}
	// offset returns a position's offset from the start of the method's
	// line, in the file and in the re-parsed text.
	origOff := func(p token.Pos) int { return tf.Offset(p) - lo }
	miniOff := func(p token.Pos) int { return mtf.Offset(p) - len(methodHeader) }
	for i, o := range orig {
		if !sameNode(o, mini[i]) || origOff(o.Pos()) != miniOff(mini[i].Pos()) || origOff(o.End()) != miniOff(mini[i].End()) {
			return nil
		}
	}
	// The comments of the method's lines, in both.
	var comments []*ast.Comment
	for _, g := range w.file.Comments {
		if g.End() <= start || g.Pos() >= w.decl.End() {
			continue
		}
		for _, c := range g.List {
			if start <= c.Pos() && c.Pos() < w.decl.End() {
				comments = append(comments, c)
			}
		}
	}
	var miniComments []*ast.Comment
	for _, g := range f.Comments {
		for _, c := range g.List {
			if c.Pos() < fd.End() {
				miniComments = append(miniComments, c)
			}
		}
	}
	if !slices.EqualFunc(comments, miniComments, func(a, b *ast.Comment) bool {
		return a.Text == b.Text && origOff(a.Pos()) == miniOff(b.Pos())
	}) {
		return nil
	}

	dec := decorator.NewDecorator(fset)
	df, err := dec.DecorateFile(f)
	if err != nil {
		return nil
	}
	for i, o := range orig {
		if n, ok := dec.Dst.Nodes[mini[i]]; ok {
			dec.Dst.Nodes[o] = n
		}
	}
	dfd, ok := dec.Dst.Nodes[fd].(*dst.FuncDecl)
	wfd, ok2 := dec.Dst.Nodes[f.Decls[1]].(*dst.FuncDecl)
	if !ok || !ok2 {
		return nil
	}
	df.Decls = df.Decls[:1] // the wrapper is not printed
	return &decorated{dec: dec, file: df, decl: dfd, index: 0, wrapper: wfd}
}

// nodes returns the nodes of n in depth-first order, without comments.
func nodes(n ast.Node) []ast.Node {
	var out []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		switch x.(type) {
		case nil:
			return false
		case *ast.CommentGroup, *ast.Comment:
			return false
		}
		out = append(out, x)
		return true
	})
	return out
}

// sameNode reports whether a and b are the same kind of node with the
// same name, literal or operator: with equal offsets, what tells a
// re-parse of other text apart.
func sameNode(a, b ast.Node) bool {
	switch a := a.(type) {
	case *ast.Ident:
		b, ok := b.(*ast.Ident)
		return ok && a.Name == b.Name
	case *ast.BasicLit:
		b, ok := b.(*ast.BasicLit)
		return ok && a.Kind == b.Kind && a.Value == b.Value
	case *ast.BinaryExpr:
		b, ok := b.(*ast.BinaryExpr)
		return ok && a.Op == b.Op
	case *ast.UnaryExpr:
		b, ok := b.(*ast.UnaryExpr)
		return ok && a.Op == b.Op
	case *ast.AssignStmt:
		b, ok := b.(*ast.AssignStmt)
		return ok && a.Tok == b.Tok
	case *ast.IncDecStmt:
		b, ok := b.(*ast.IncDecStmt)
		return ok && a.Tok == b.Tok
	case *ast.BranchStmt:
		b, ok := b.(*ast.BranchStmt)
		return ok && a.Tok == b.Tok
	case *ast.RangeStmt:
		b, ok := b.(*ast.RangeStmt)
		return ok && a.Tok == b.Tok
	case *ast.GenDecl:
		b, ok := b.(*ast.GenDecl)
		return ok && a.Tok == b.Tok
	case *ast.ChanType:
		b, ok := b.(*ast.ChanType)
		return ok && a.Dir == b.Dir
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}
