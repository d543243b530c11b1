package retrysafety

import (
	"go/ast"
	"go/types"
)

// Cassandra statements (gocql). gocql runs a statement on the call that
// can fail at the end of a chain that begins with Session.Query(stmt,
// values...) (q.WithContext(ctx).Idempotent(true).Exec()), or with a
// query kept in a local: the statement's CQL is an argument of the first
// call of the chain, not of the failing one, so the database rule
// follows the chain back to it. Exec, Scan, MapScan and the CAS forms
// (a lightweight transaction: INSERT ... IF NOT EXISTS) run it: a write
// when its CQL changes the table, as SQL's verbs say (sqltext.go), or
// cannot be followed; a SELECT reads. A batch (Session.ExecuteBatch and
// its CAS forms) holds only changes: a write. As for SQL, the connection
// can fail after the coordinator applied the statement, and a retry would
// apply it again: a counter incremented twice, a lightweight transaction
// answering "not applied" to its own insert. (Plain INSERTs and UPDATEs
// of values are upserts, which a second run leaves as the first did; the
// rule does not tell them apart from counters and collection appends.)

// cqlPkgs are gocql's import paths.
var cqlPkgs = map[string]bool{
	"github.com/gocql/gocql":                      true,
	"github.com/apache/cassandra-gocql-driver/v2": true,
}

// cqlRuns are the methods of a gocql Query that run its statement.
var cqlRuns = map[string]bool{"Exec": true, "Scan": true, "ScanCAS": true, "MapScan": true, "MapScanCAS": true}

// cqlWrite fills e when c, a call of fn of gocql, runs a statement that
// changes the database (the rule above), and reports whether it did.
func (s *fnState) cqlWrite(c *ast.CallExpr, fn *types.Func, e *event) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	name := fn.Name()
	recvType := recvTypeName(sig.Recv().Type())
	var what, why string
	switch {
	case recvType == "Session" && s.cqlBatchArg(c):
		what, why = "runs a batch on "+types.ExprString(sel.X)+" ("+name+")", sqlWriteWhy
	case recvType == "Query" && cqlRuns[name]:
		session, stmt := s.cqlStatement(sel.X, nil)
		on := " on " + types.ExprString(sel.X) + " (" + name + ")"
		if session != nil {
			on = " on " + types.ExprString(session) + " (" + name + ")"
		}
		var sql sqlClass
		if stmt != nil {
			sql = s.sqlOf(stmt, false)
		}
		why = sqlWriteWhy
		switch sql.kind {
		case sqlReadOnly:
			return false
		case sqlChange:
			what = "runs " + article(sql.verb) + " " + sql.verb + on
		case sqlFromParam:
			what = "runs the SQL of its parameter " + sql.name + on
			e.what, e.self, e.selfWhy, e.db = what, e.fail, sqlParamWhy, true
			s.noteQuery(sql.param, what+" at "+s.r.where(c.Pos()))
			return true
		default:
			what, why = "runs a statement whose CQL is built at run time"+on, sqlBuiltWhy
		}
	default:
		return false
	}
	s.dbStatement(c, e, what, why)
	return true
}

// cqlBatchArg reports whether c is given a gocql Batch: a method of the
// Session given one runs it (ExecuteBatch, ExecuteBatchCAS,
// MapExecuteBatchCAS, and, in gocql itself, executeBatch, which they
// call).
func (s *fnState) cqlBatchArg(c *ast.CallExpr) bool {
	for _, arg := range c.Args {
		t := s.info.TypeOf(arg)
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && n.Obj().Name() == "Batch" && n.Obj().Pkg() != nil && cqlPkgs[n.Obj().Pkg().Path()] {
				return true
			}
		}
	}
	return false
}

// cqlStatement follows a gocql query expression back through the calls
// of its chain that return the query (WithContext, Idempotent,
// Consistency...) and the local it is kept in (assigned once) to
// Session.Query(stmt, ...) or Session.Bind(stmt, ...), and returns that
// session and stmt; nils when it cannot.
func (s *fnState) cqlStatement(x ast.Expr, seen map[*types.Var]bool) (session, stmt ast.Expr) {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		v, ok := s.info.Uses[x].(*types.Var)
		if !ok || v.IsField() || seen[v] || s.r.assignCounts()[v] != 1 || len(s.r.localValues()[v]) != 1 {
			return nil, nil
		}
		if seen == nil {
			seen = map[*types.Var]bool{}
		}
		seen[v] = true
		return s.cqlStatement(s.r.localValues()[v][0], seen)
	case *ast.CallExpr:
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil, nil
		}
		fn, ok := s.info.Uses[sel.Sel].(*types.Func)
		if !ok || fn.Pkg() == nil || !cqlPkgs[fn.Pkg().Path()] {
			return nil, nil
		}
		sig := fn.Type().(*types.Signature)
		if sig.Recv() == nil {
			return nil, nil
		}
		switch recvTypeName(sig.Recv().Type()) {
		case "Session":
			if (fn.Name() == "Query" || fn.Name() == "Bind") && len(x.Args) > 0 {
				return sel.X, x.Args[0]
			}
		case "Query":
			if sig.Results().Len() == 1 && recvTypeName(sig.Results().At(0).Type()) == "Query" {
				return s.cqlStatement(sel.X, seen)
			}
		}
	}
	return nil, nil
}
