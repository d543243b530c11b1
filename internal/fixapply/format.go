package fixapply

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
)

// span is a byte range [start, end) of a file.
type span struct{ start, end int }

// touches reports whether the edited text s meets [start, end): an
// insertion or replacement overlapping it, or a deletion (empty s)
// strictly inside it.
func (s span) touches(start, end int) bool {
	if s.start == s.end {
		return start < s.start && s.start < end
	}
	return s.start < end && start < s.end
}

// formatTouched returns src with every top-level declaration that an
// edited span touches gofmt-formatted, from its keyword to its end (its
// doc comment is not the rewrite's), and every other byte as it is: a
// fix changes the declarations it rewrites and the import it adds, not
// an old-style comment or hand-aligned code elsewhere in the file, which
// a whole-file gofmt would reformat too. The error is src's syntax error,
// if it has one.
func formatTouched(src []byte, touched []span) ([]byte, error) {
	formatted, err := format.Source(src)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	ff, err := parser.ParseFile(fset, "", formatted, parser.SkipObjectResolution)
	if err != nil || len(ff.Decls) != len(f.Decls) {
		// gofmt never adds or drops a declaration; should it, its
		// whole-file result is still valid Go.
		return formatted, nil
	}
	tf, ftf := fset.File(f.Pos()), fset.File(ff.Pos())
	var out bytes.Buffer
	last := 0
	for i, d := range f.Decls {
		start, end := tf.Offset(d.Pos()), tf.Offset(d.End())
		hit := false
		for _, s := range touched {
			hit = hit || s.touches(start, end)
		}
		if !hit {
			continue
		}
		fd := ff.Decls[i]
		out.Write(src[last:start])
		out.Write(formatted[ftf.Offset(fd.Pos()):ftf.Offset(fd.End())])
		last = end
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// crlfOnly reports whether every line of src ends in "\r\n" (a file
// checked out with Windows line endings).
func crlfOnly(src []byte) bool {
	n := bytes.Count(src, []byte("\n"))
	return n > 0 && n == bytes.Count(src, []byte("\r\n"))
}

// toCRLF ends every line of src that ends in a bare "\n" (gofmt's and
// the fixers' text) with "\r\n", so that a file with Windows line
// endings keeps them in the lines a fix rewrites. (Go drops carriage
// returns from raw string literals, so no value changes.)
func toCRLF(src []byte) []byte {
	out := make([]byte, 0, len(src)+bytes.Count(src, []byte("\n")))
	for i, c := range src {
		if c == '\n' && (i == 0 || src[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}
