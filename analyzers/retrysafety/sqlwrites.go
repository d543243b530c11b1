package retrysafety

import (
	"go/ast"
	"go/constant"
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
//   - Query..., Get..., Select... run a query: a write when its SQL is a
//     constant whose verb changes the database (INSERT ... RETURNING id,
//     a WITH holding an UPDATE), a read otherwise (a SELECT, or SQL built
//     at run time, which queries run by convention);
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
		verb, exec := sqlVerb(s.info, c, name)
		switch {
		case exec && verb == "" && (typeName == "Stmt" || typeName == "NamedStmt"):
			what = "runs a prepared statement" + on
		case exec && verb == "":
			what = "runs a statement" + on
		case verb != "":
			what = "runs " + article(verb) + " " + verb + on
		default:
			return false
		}
		why = sqlWriteWhy
	}
	e.what = what
	s.note(root{kind: rootGlobal}, what+" at "+s.r.where(c.Pos()), nil)
	e.self = e.fail
	e.selfWhy = why
	e.db = true
	return true
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

// sqlVerb returns, for a call of the method name, whether it runs a
// statement (exec) and the verb of its constant SQL when that verb
// changes the database ("INSERT"); "" when the SQL reads, is not a
// constant, or the method takes none.
func sqlVerb(info *types.Info, c *ast.CallExpr, name string) (verb string, exec bool) {
	base := strings.TrimPrefix(strings.TrimPrefix(name, "Must"), "Named")
	switch {
	case strings.HasPrefix(base, "Exec"), name == "CopyFrom", name == "SendBatch", name == "AsyncInsert":
		exec = true
	case strings.HasPrefix(base, "Query"), strings.HasPrefix(base, "Get"), strings.HasPrefix(base, "Select"):
	default:
		return "", false
	}
	// The SQL is the first string argument (after a context, or sqlx's
	// destination).
	for _, arg := range c.Args {
		tv, ok := info.Types[arg]
		if !ok {
			continue
		}
		if b, ok := tv.Type.Underlying().(*types.Basic); !ok || b.Info()&types.IsString == 0 {
			continue
		}
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", exec
		}
		return writeVerb(constant.StringVal(tv.Value)), exec
	}
	return "", exec
}

// sqlReads are the leading verbs of statements that change nothing.
var sqlReads = map[string]bool{"SELECT": true, "SHOW": true, "EXPLAIN": true, "VALUES": true, "TABLE": true, "DESCRIBE": true, "DESC": true}

// writeVerb returns the verb of the statement q when it may change the
// database: its first keyword (past comments and parentheses) unless
// that reads, and for a WITH the first INSERT, UPDATE, DELETE or MERGE
// in it; "" for a read.
func writeVerb(q string) string {
	words := sqlWords(q)
	if len(words) == 0 {
		return ""
	}
	first := words[0]
	if first == "WITH" {
		for _, w := range words[1:] {
			switch w {
			case "INSERT", "UPDATE", "DELETE", "MERGE":
				return w
			}
		}
		return ""
	}
	if sqlReads[first] {
		return ""
	}
	return first
}

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
