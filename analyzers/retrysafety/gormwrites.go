package retrysafety

import (
	"go/ast"
	"go/types"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// gorm's statements, for the database rule (sqlwrites.go). gorm.io/gorm
// runs a statement in the finisher of a chain of *gorm.DB methods and
// keeps the database's answer in the Error field of the *gorm.DB it
// returns (r.db.WithContext(ctx).Create(&u).Error), a call that can fail
// by targets.ErrorFieldCalls. The finishers that change the database are
// writes at the call, named by what they run; a Raw(sql) chain is judged
// by its SQL like a Query...; the reads (First, Find, Take, Count, Scan
// after a SELECT...) are none. Every write counts, in a transaction the
// body begins (tx := db.Begin()) too: gorm's chains do not say which
// transaction a statement runs in as database/sql's types do.
var gormVerbs = map[string]string{
	"Create":          "INSERT",
	"CreateInBatches": "INSERT",
	"FirstOrCreate":   "INSERT",
	"Save":            "INSERT or UPDATE",
	"Update":          "UPDATE",
	"Updates":         "UPDATE",
	"UpdateColumn":    "UPDATE",
	"UpdateColumns":   "UPDATE",
	"Delete":          "DELETE",
}

// gormWrite fills e when c, a call of fn, is a gorm finisher that changes
// the database or commits, and reports whether it is.
func (s *fnState) gormWrite(c *ast.CallExpr, fn *types.Func, e *event) bool {
	if tn := typepred.ReceiverTypeName(fn); tn == nil || tn.Pkg() == nil || tn.Pkg().Path() != "gorm.io/gorm" || tn.Name() != "DB" {
		return false
	}
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	db := types.ExprString(chainRoot(sel.X))
	on := " on " + db + " (" + fn.Name() + ")"
	var what, why string
	switch name := fn.Name(); {
	case name == "Commit":
		what, why = "commits "+db+" (Commit)", sqlCommitWhy
	case gormVerbs[name] != "":
		verb := gormVerbs[name]
		what, why = "runs "+article(verb)+" "+verb+on, sqlWriteWhy
	case name == "Exec":
		what, why = "runs a statement"+on, sqlWriteWhy
		if len(c.Args) > 0 {
			switch sc := s.sqlOf(c.Args[0], false); sc.kind {
			case sqlReadOnly:
				return false // a read run with Exec
			case sqlChange:
				what = "runs " + article(sc.verb) + " " + sc.verb + on
			}
		}
	case name == "Scan" || name == "Row" || name == "Rows" || name == "Find":
		// A read, unless a Raw earlier in the chain holds SQL that
		// changes the database (Raw("UPDATE ... RETURNING ...").Scan)
		// or that the rule cannot follow (sqltext.go).
		raw := rawCall(sel.X)
		if raw == nil || len(raw.Args) == 0 {
			return false
		}
		switch sc := s.sqlOf(raw.Args[0], false); sc.kind {
		case sqlReadOnly:
			return false
		case sqlChange:
			what, why = "runs "+article(sc.verb)+" "+sc.verb+on, sqlWriteWhy
		default:
			what, why = "runs a query whose SQL is built at run time"+on, sqlBuiltWhy
		}
	default:
		return false
	}
	s.dbStatement(c, e, what, why)
	return true
}

// chainRoot returns the expression a chain of method calls starts from:
// r.db for r.db.WithContext(ctx).Model(&u).Where(...).
func chainRoot(x ast.Expr) ast.Expr {
	for {
		c, ok := ast.Unparen(x).(*ast.CallExpr)
		if !ok {
			return x
		}
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok {
			return x
		}
		x = sel.X
	}
}

// rawCall returns the Raw call in the chain x, nil if there is none.
func rawCall(x ast.Expr) *ast.CallExpr {
	for {
		c, ok := ast.Unparen(x).(*ast.CallExpr)
		if !ok {
			return nil
		}
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if sel.Sel.Name == "Raw" {
			return c
		}
		x = sel.X
	}
}
