package retrysafety

import (
	"go/ast"
	"go/types"
	"strings"
	"unicode"
)

// The database rule. A statement that changes a database (an INSERT, an
// UPDATE, a DELETE...) is a write of state that outlives the run, and it
// is one at the very call that can fail: the connection can drop after
// the server executed the statement and before its answer arrives (an
// io.ErrUnexpectedEOF, an ECONNRESET: errors a retry treats as
// transient), so a retry would execute it again: a second row, a second
// decrement. database/sql itself retries only on driver.ErrBadConn,
// which a driver returns before it sends anything.
//
// The clients judged are database/sql's DB, Conn, Tx and Stmt, sqlx's
// (which embed them and add Named... and Must... methods), pgx's (v4,
// v5, and their pgxpool's Pool, Conn and Tx), clickhouse-go v2's native
// interface (lib/driver's Conn and Batch, which clickhouse.Open returns),
// and interfaces standing for them (a method with a result of their
// types: sqlc's DBTX), by method:
//
//   - Exec..., MustExec..., NamedExec..., CopyFrom and SendBatch run a
//     statement: a write, named by its verb when its SQL is a constant
//     ("runs an INSERT on r.DB (ExecContext)"), "a statement" when it is
//     not, "a prepared statement" on a Stmt;
//   - Query..., Get..., Select... run a query: a read when its SQL's verb
//     reads (a SELECT), a write when it changes the database (INSERT ...
//     RETURNING id, an UPDATE through QueryRow, a WITH holding an
//     UPDATE), followed through constants, concatenations, fmt.Sprintf,
//     locals, tables of queries and query builders (sqltext.go); a write
//     too when the rule cannot follow it ("runs a query whose SQL is
//     built at run time": it cannot tell that it only reads); when it is
//     a parameter's, the caller's argument decides, through the Queries
//     of the Writes fact ("calls r.query (which runs the SQL of its
//     parameter q ...) with an INSERT"); a query of no SQL argument (a
//     prepared statement's) is taken as a read;
//   - clickhouse-go's AsyncInsert runs a statement; a Batch's Send and
//     Flush send its rows (PrepareBatch sends no row, Append buffers):
//     the connection can fail after the server inserted them, and a
//     retry of the body would prepare, fill and send the batch again
//     (ClickHouse keeps both copies unless the table deduplicates);
//   - Commit keeps a transaction: the server may have committed when the
//     connection fails, and a retry would run the transaction again; so
//     do the helpers that run a function in a transaction and commit it
//     (gorm's DB.Transaction, pgx's BeginFunc and BeginTxFunc).
//
// Statements in a transaction the body begins itself (a Tx that is a
// local of the body) are kept only by its Commit: a failed statement
// rolls it back, and a retry of the whole body runs a new transaction.
// In a transaction that outlives the run (a field, a parameter: the
// caller's), a statement is a write: a retry would run it again in that
// same transaction.
//
// The database is state of no variable of the body: the write is noted
// as package state, so a caller in any package sees it through the
// Writes fact ("calls r.Add (which runs an INSERT ...)").

// sqlPkgs are the packages whose clients the database rule judges.
var sqlPkgs = map[string]bool{
	"database/sql":                    true,
	"github.com/jmoiron/sqlx":         true,
	"github.com/jackc/pgx/v4":         true,
	"github.com/jackc/pgx/v4/pgxpool": true,
	"github.com/jackc/pgx/v5":         true,
	"github.com/jackc/pgx/v5/pgxpool": true,
	chDriverPkg:                       true,
}

// chDriverPkg is clickhouse-go v2's package of the native interface's
// types (driver.Conn, driver.Batch).
const chDriverPkg = "github.com/ClickHouse/clickhouse-go/v2/lib/driver"

// sqlWriteWhy and sqlCommitWhy say why a retry must not repeat a failed
// statement or commit.
const (
	sqlWriteWhy  = "the connection can fail after the database executed the statement, so a retry would execute it again"
	sqlCommitWhy = "the connection can fail after the database committed, so a retry would run the transaction again"
	sqlBatchWhy  = "the connection can fail after the database inserted the batch, so a retry would insert its rows again"
	sqlAdvice    = "route only the reads, or make the statement idempotent (a key the database checks, such as ON CONFLICT DO NOTHING) and retry it by hand"
	// sqlBuiltWhy and sqlParamWhy: a query whose verb the rule cannot
	// read (sqltext.go) may change the database.
	sqlBuiltWhy    = "the tool cannot tell that it only reads, and a statement that changes the database can fail after the database executed it, so a retry would execute it again"
	sqlParamWhy    = "its caller chooses the SQL and the tool cannot tell that it only reads, and a statement that changes the database can fail after the database executed it, so a retry would execute it again"
	sqlBuiltAdvice = "start the query's SQL with a constant that names its verb (\"SELECT ...\"), or route only the reads"
	// sqlCommitAdvice: a transaction retried whole is right when what
	// failed came before Commit, so a hand-written retry can mark
	// Commit's error permanent.
	sqlCommitAdvice = "retry the transaction by hand, with Commit's error wrapped in recovery.Permanent, or make it idempotent"
	// sqlBatchAdvice: ClickHouse drops a block inserted again only into
	// a table that deduplicates inserts (replicated, or a deduplication
	// window), with the same rows or the same token.
	sqlBatchAdvice = "route only the reads, or retry the batch by hand into a table that deduplicates inserts (an insert_deduplication_token)"
)

// sqlWrite fills e when c, a call of fn, changes a database (the rule
// above), and reports whether it did.
func (s *fnState) sqlWrite(c *ast.CallExpr, fn *types.Func, e *event) bool {
	if fn.Pkg() == nil {
		return false
	}
	if txHelpers[txHelperKey(fn)] {
		// A transaction run by a helper, which commits it.
		e.what = "runs a transaction with " + e.callName() + ", which commits it"
		s.note(root{kind: rootGlobal}, e.what+" at "+s.r.where(c.Pos()), nil)
		e.self, e.selfWhy, e.db = e.fail, sqlCommitWhy, true
		return true
	}
	if cqlPkgs[fn.Pkg().Path()] {
		return s.cqlWrite(c, fn, e)
	}
	if !sqlPkgs[fn.Pkg().Path()] && !sqlIface(fn) {
		return false
	}
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if selection, ok := s.info.Selections[sel]; !ok || selection.Kind() != types.MethodVal {
		return false
	}
	recv := sel.X
	typeName := recvTypeName(s.info.TypeOf(recv))
	name := fn.Name()
	on := " on " + types.ExprString(recv) + " (" + name + ")"
	var what, why string
	switch {
	case name == "Commit":
		what, why = "commits "+types.ExprString(recv)+" ("+name+")", sqlCommitWhy
	case typeName == "Batch" && fn.Pkg().Path() == chDriverPkg:
		if name != "Send" && name != "Flush" {
			return false // Append, Column, Abort: no row sent
		}
		what, why = "sends the batch "+types.ExprString(recv)+" ("+name+")", sqlBatchWhy
	case typeName == "Tx" || typeName == "Txx":
		if _, shared := s.sharedRef(recv); !shared {
			return false // kept only by the Commit of the body's own transaction
		}
		fallthrough
	default:
		exec, query := sqlMethodKind(name)
		if !exec && !query {
			return false
		}
		arg := sqlArg(s.info, c)
		var sql sqlClass
		if arg != nil {
			sql = s.sqlOf(arg, false)
		}
		why = sqlWriteWhy
		switch {
		case sql.kind == sqlChange:
			what = "runs " + article(sql.verb) + " " + sql.verb + on
		case exec && arg == nil && (typeName == "Stmt" || typeName == "NamedStmt"):
			what = "runs a prepared statement" + on
		case exec:
			what = "runs a statement" + on
		case arg == nil || sql.kind == sqlReadOnly:
			// A read; or a query of no SQL argument (a prepared
			// statement's), taken as one.
			return false
		case sql.kind == sqlFromParam:
			// The caller's SQL: a write for this body, which cannot
			// tell; its callers judge their own argument (Queries).
			what = "runs the SQL of its parameter " + sql.name + on
			e.what, e.self, e.selfWhy, e.db = what, e.fail, sqlParamWhy, true
			s.noteQuery(sql.param, what+" at "+s.r.where(c.Pos()))
			return true
		default:
			what, why = "runs a query whose SQL is built at run time"+on, sqlBuiltWhy
		}
	}
	s.dbStatement(c, e, what, why)
	return true
}

// dbStatement fills e, the event of c, a database statement that can
// change data (what it does and why a retry must not run it again), and
// records it in the function's Writes as package state: the database is
// outside the process, and a caller in any package sees it.
func (s *fnState) dbStatement(c *ast.CallExpr, e *event, what, why string) {
	e.what = what
	s.note(root{kind: rootGlobal}, what+" at "+s.r.where(c.Pos()), nil)
	e.self, e.selfWhy, e.db = e.fail, why, true
}

// noteQuery records, in the function's Writes, that it runs the SQL of
// parameter i as a query (what: the query and its place).
func (s *fnState) noteQuery(i int, what string) {
	if s.out.Queries == nil {
		s.out.Queries = map[string]string{}
	}
	if _, ok := s.out.Queries[paramKey(i)]; !ok {
		s.out.Queries[paramKey(i)] = what
	}
}

// sqlQueryCall fills e when c, a call of fn whose Writes w say it runs
// the SQL of a parameter as a query, passes it SQL that changes the
// database or that cannot be followed (a write), or the SQL of one of
// this body's own parameters (a write here, its callers' to judge).
func (s *fnState) sqlQueryCall(c *ast.CallExpr, fn *types.Func, w *Writes, e *event) {
	for i, arg := range c.Args {
		p := paramIndex(fn, i)
		inner := w.Queries[paramKey(p)]
		if inner == "" {
			continue
		}
		sql := s.sqlOf(arg, false)
		what := "calls " + e.callName() + " (which " + inner + ")"
		why := sqlWriteWhy
		switch sql.kind {
		case sqlReadOnly:
			continue
		case sqlChange:
			what += " with " + article(sql.verb) + " " + sql.verb
		case sqlFromParam:
			what += " with the SQL of its parameter " + sql.name
			e.what, e.self, e.selfWhy, e.db = what, e.fail, sqlParamWhy, true
			s.noteQuery(sql.param, what+" at "+s.r.where(c.Pos()))
			return
		default:
			what += " with SQL built at run time"
			why = sqlBuiltWhy
		}
		s.note(root{kind: rootGlobal}, what+" at "+s.r.where(c.Pos()), nil)
		e.what, e.self, e.selfWhy, e.db = what, e.fail, why, true
		return
	}
}

// txHelpers are the functions and methods that run a caller's function
// in a transaction they begin and then commit (keys as txHelperKey
// builds them): a retry around one runs the transaction again when its
// commit's answer is lost.
var txHelpers = map[string]bool{
	"gorm.io/gorm.DB.Transaction":                      true,
	"github.com/jackc/pgx/v5.BeginFunc":                true,
	"github.com/jackc/pgx/v5.BeginTxFunc":              true,
	"github.com/jackc/pgx/v4.Conn.BeginFunc":           true,
	"github.com/jackc/pgx/v4.Conn.BeginTxFunc":         true,
	"github.com/jackc/pgx/v4/pgxpool.Pool.BeginFunc":   true,
	"github.com/jackc/pgx/v4/pgxpool.Pool.BeginTxFunc": true,
}

// txHelperKey is "pkgpath.Name" for a function, "pkgpath.Type.Name" for
// a method.
func txHelperKey(fn *types.Func) string {
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return fn.Pkg().Path() + "." + recvTypeName(sig.Recv().Type()) + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// sqlIface reports whether fn is a method of an interface declared
// outside the clients' packages that stands for one of them: a result of
// the clients' types (sqlc's DBTX, whose ExecContext returns a
// sql.Result and whose QueryContext a *sql.Rows; a service's own
// interface over a pgxpool.Pool returning a pgconn.CommandTag).
func sqlIface(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || !types.IsInterface(sig.Recv().Type()) {
		return false
	}
	for v := range sig.Results().Variables() {
		t := v.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
			if path := n.Obj().Pkg().Path(); sqlPkgs[path] || path == "github.com/jackc/pgx/v5/pgconn" || path == "github.com/jackc/pgconn" {
				return true
			}
		}
	}
	return false
}

// recvTypeName is the name of the named type t is or points to ("" for
// others).
func recvTypeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// sqlMethodKind says whether a client's method of that name runs a
// statement (exec) or a query, or neither.
func sqlMethodKind(name string) (exec, query bool) {
	base := strings.TrimPrefix(strings.TrimPrefix(name, "Must"), "Named")
	switch {
	case strings.HasPrefix(base, "Exec"), name == "CopyFrom", name == "SendBatch", name == "AsyncInsert":
		return true, false
	case strings.HasPrefix(base, "Query"), strings.HasPrefix(base, "Get"), strings.HasPrefix(base, "Select"):
		return false, true
	}
	return false, false
}

// sqlArg returns the SQL of a call of a client's method: its first
// string argument (after a context, or sqlx's destination); nil when it
// takes none.
func sqlArg(info *types.Info, c *ast.CallExpr) ast.Expr {
	for _, arg := range c.Args {
		if isString(info.TypeOf(arg)) {
			return arg
		}
	}
	return nil
}

// sqlReads are the leading verbs of statements that change nothing.
var sqlReads = map[string]bool{"SELECT": true, "SHOW": true, "EXPLAIN": true, "VALUES": true, "TABLE": true, "DESCRIBE": true, "DESC": true}

// sqlWords returns the words of q, upper-cased, without its comments and
// quoted strings.
func sqlWords(q string) []string {
	var words []string
	for i := 0; i < len(q); {
		switch {
		case strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				return words
			}
			i += j + 1
		case strings.HasPrefix(q[i:], "/*"):
			j := strings.Index(q[i+2:], "*/")
			if j < 0 {
				return words
			}
			i += j + 4
		case q[i] == '\'' || q[i] == '"' || q[i] == '`':
			j := strings.IndexByte(q[i+1:], q[i])
			if j < 0 {
				return words
			}
			i += j + 2
		case isWordByte(q[i]):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			words = append(words, strings.ToUpper(q[i:j]))
			i = j
		default:
			i++
		}
	}
	return words
}

func isWordByte(b byte) bool {
	return b == '_' || b < 0x80 && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)))
}

// article is "an" before a verb starting with a vowel, "a" otherwise.
func article(verb string) string {
	if strings.ContainsRune("AEIOU", rune(verb[0])) {
		return "an"
	}
	return "a"
}
