package orders_test

// A probe of the real-world sweep (scripts/realworld/wrapper.sh): counts
// the statements a database executes when one call of the repository
// meets a connection failure, before and after resilience-lint -fix.
// The fake driver below stands for a network database: it fails the
// first statement that starts with a given prefix, either BEFORE the
// server executes it (the request never arrived) or AFTER (the server
// executed it, and committed it outside a transaction, but the answer
// was lost), with the errors a network driver returns: io.ErrUnexpectedEOF,
// a *net.OpError wrapping ECONNRESET, or driver.ErrBadConn (which
// database/sql itself retries on a new connection; a driver must return
// it only before executing). A failed connection is invalid afterwards
// (driver.Validator), so the pool discards it.
//
// Effects count statements as the database keeps them: a statement
// outside a transaction counts when it executes; one inside a
// transaction counts at its COMMIT, and not at all after a ROLLBACK.
// It asserts nothing: the sweep compares the PROBE lines of the two runs.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"example.com/orders"
)

// fault fails the first statement starting with prefix.
type fault struct {
	prefix string
	kind   string // "eof", "reset", "badconn"
	after  bool   // after the server executed (and, outside a tx, kept) it
}

func (f fault) err() error {
	switch f.kind {
	case "eof":
		return io.ErrUnexpectedEOF
	case "reset":
		return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	return driver.ErrBadConn
}

// server is the fake database: its effects per statement and its one
// fault.
type server struct {
	mu      sync.Mutex
	f       *fault
	fired   bool
	applied map[string]int // statements kept
	sent    map[string]int // statements that reached the server
	nextID  int64
}

func label(q string) string {
	if i := strings.Index(q, " WHERE"); i > 0 {
		q = q[:i]
	}
	if i := strings.Index(q, " VALUES"); i > 0 {
		q = q[:i]
	}
	return q
}

// run executes q on the server (pending, when in a transaction); it
// reports the fault's error, if q is the fault's statement.
func (s *server) run(q string, pending *[]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	hit := s.f != nil && !s.fired && strings.HasPrefix(q, s.f.prefix)
	if hit {
		s.fired = true
		if !s.f.after {
			return s.f.err()
		}
	}
	s.sent[label(q)]++
	if q == "BEGIN" {
		// nothing to keep
	} else if pending != nil {
		*pending = append(*pending, label(q))
	} else {
		s.applied[label(q)]++
	}
	if hit {
		return s.f.err()
	}
	return nil
}

type fdriver struct{ s *server }

func (d fdriver) Open(string) (driver.Conn, error) { return &conn{s: d.s}, nil }

type conn struct {
	s       *server
	bad     bool
	tx      bool
	pending []string
}

func (c *conn) Prepare(q string) (driver.Stmt, error) { return nil, errors.New("fake: no Prepare") }
func (c *conn) Close() error                          { return nil }
func (c *conn) Begin() (driver.Tx, error)             { return c.BeginTx(context.Background(), driver.TxOptions{}) }
func (c *conn) IsValid() bool                         { return !c.bad }

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.exec("BEGIN"); err != nil {
		return nil, err
	}
	c.tx, c.pending = true, nil
	return (*tx)(c), nil
}

func (c *conn) exec(q string) error {
	var p *[]string
	if c.tx {
		p = &c.pending
	}
	err := c.s.run(q, p)
	if err != nil {
		c.bad = true
	}
	return err
}

func (c *conn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.exec(q); err != nil {
		return nil, err
	}
	c.s.mu.Lock()
	c.s.nextID++
	id := c.s.nextID
	c.s.mu.Unlock()
	return result(id), nil
}

func (c *conn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.exec(q); err != nil {
		return nil, err
	}
	cols := []string{"id", "item", "status"}
	if strings.Contains(q, "RETURNING") {
		cols = cols[:1]
	}
	return &rows{n: 2, cols: cols}, nil
}

type tx conn

func (t *tx) Commit() error {
	c := (*conn)(t)
	c.s.mu.Lock()
	f := c.s.f
	hit := f != nil && !c.s.fired && f.prefix == "COMMIT"
	if hit {
		c.s.fired = true
	}
	if !hit || f.after {
		for _, q := range c.pending {
			c.s.applied[q]++
		}
		c.s.sent["COMMIT"]++
	}
	c.s.mu.Unlock()
	c.tx, c.pending = false, nil
	if hit {
		c.bad = true
		return f.err()
	}
	return nil
}

func (t *tx) Rollback() error {
	c := (*conn)(t)
	c.s.mu.Lock()
	c.s.sent["ROLLBACK"]++
	c.s.mu.Unlock()
	c.tx, c.pending = false, nil
	return nil
}

type result int64

func (r result) LastInsertId() (int64, error) { return int64(r), nil }
func (r result) RowsAffected() (int64, error) { return 1, nil }

type rows struct {
	n    int
	cols []string
}

func (r *rows) Columns() []string { return r.cols }
func (r *rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.n == 0 {
		return io.EOF
	}
	r.n--
	for i := range dest {
		dest[i] = int64(r.n + 1)
	}
	if len(dest) == 3 {
		dest[1], dest[2] = "widget", "new"
	}
	return nil
}

var seq atomic.Int64

func newDB(t *testing.T, s *server) *sql.DB {
	name := fmt.Sprintf("fake%d", seq.Add(1))
	sql.Register(name, fdriver{s})
	db, err := sql.Open(name, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func counts(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, " [%s]=%d", k, m[k])
	}
	return b.String()
}

func TestRLProbeStatementsPerFailure(t *testing.T) {
	var pricing atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pricing.Add(1)
		_, _ = w.Write([]byte(`{"Cents": 250}`))
	}))
	defer srv.Close()

	calls := []struct {
		name   string
		prefix string // the statement the fault hits
		do     func(context.Context, *orders.Repo) error
	}{
		{"Get", "SELECT", func(ctx context.Context, r *orders.Repo) error { _, err := r.Get(ctx, 1); return err }},
		{"List", "SELECT", func(ctx context.Context, r *orders.Repo) error { _, err := r.List(ctx, "new"); return err }},
		{"Create", "INSERT", func(ctx context.Context, r *orders.Repo) error { _, err := r.Create(ctx, "widget"); return err }},
		{"Add", "INSERT", func(ctx context.Context, r *orders.Repo) error { _, err := r.Add(ctx, "widget"); return err }},
		{"SetStatus", "UPDATE", func(ctx context.Context, r *orders.Repo) error { return r.SetStatus(ctx, 1, "paid") }},
		{"Save", "INSERT", func(ctx context.Context, r *orders.Repo) error {
			return r.Save(ctx, orders.Order{ID: 1, Item: "widget", Status: "new"})
		}},
		{"Transfer/2nd", "UPDATE stock SET qty = qty +", func(ctx context.Context, r *orders.Repo) error { return r.Transfer(ctx, "a", "b", 1) }},
		{"Transfer/commit", "COMMIT", func(ctx context.Context, r *orders.Repo) error { return r.Transfer(ctx, "a", "b", 1) }},
		{"Reprice", "INSERT", func(ctx context.Context, r *orders.Repo) error { return r.Reprice(ctx, "widget") }},
		{"Search", "SELECT", func(ctx context.Context, r *orders.Repo) error { _, err := r.Search(ctx, "", "new", 10); return err }},
		{"Claim", "UPDATE", func(ctx context.Context, r *orders.Repo) error { _, err := r.Claim(ctx, "orders"); return err }},
	}
	for _, call := range calls {
		for _, kind := range []string{"none", "eof", "reset", "badconn"} {
			for _, after := range []bool{false, true} {
				if kind == "none" && after {
					continue
				}
				s := &server{applied: map[string]int{}, sent: map[string]int{}}
				if kind != "none" {
					s.f = &fault{prefix: call.prefix, kind: kind, after: after}
				}
				pricing.Store(0)
				r := &orders.Repo{DB: newDB(t, s), Pricing: srv.Client(), BaseURL: srv.URL}
				err := call.do(context.Background(), r)
				when := "before"
				if after {
					when = "after"
				}
				if kind == "none" {
					when = "-"
				}
				fmt.Printf("PROBE %s fault=%s/%s err=%v http=%d kept:%s\n", call.name, kind, when, err != nil, pricing.Load(), counts(s.applied))
			}
		}
	}
}
