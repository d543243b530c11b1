package users_test

// A probe of the real-world sweep (scripts/realworld/wrapper.sh): counts
// the statements a database keeps when one call of the repository meets
// a connection failure, before and after resilience-lint -fix. gorm runs
// over database/sql (its postgres dialector given a *sql.DB), and the
// fake driver below stands for the network database, as in sqlwrap's
// probe: it fails the first statement starting with a prefix, BEFORE the
// server executes it or AFTER (executed and, outside a transaction,
// kept, but the answer lost), with io.ErrUnexpectedEOF or a *net.OpError
// wrapping ECONNRESET. A statement in a transaction is kept at COMMIT.
// It asserts nothing: the sweep compares the PROBE lines of the runs.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"example.com/users"
)

type fault struct {
	prefix string
	kind   string // "eof", "reset"
	after  bool
}

func (f fault) err() error {
	if f.kind == "eof" {
		return io.ErrUnexpectedEOF
	}
	return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

type server struct {
	mu      sync.Mutex
	f       *fault
	fired   bool
	applied map[string]int
	reads   int
}

// verb is the first word of q: what the counts are kept by.
func verb(q string) string {
	if i := strings.IndexByte(q, ' '); i > 0 {
		return q[:i]
	}
	return q
}

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
	switch v := verb(q); {
	case v == "SELECT":
		s.reads++
	case pending != nil:
		*pending = append(*pending, v)
	default:
		s.applied[v]++
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

func (c *conn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("fake: no Prepare") }
func (c *conn) Close() error                        { return nil }
func (c *conn) Begin() (driver.Tx, error)           { return c.BeginTx(context.Background(), driver.TxOptions{}) }
func (c *conn) IsValid() bool                       { return !c.bad }

func (c *conn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
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

func (c *conn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	if err := c.exec(q); err != nil {
		return nil, err
	}
	return result(1), nil
}

func (c *conn) QueryContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Rows, error) {
	if err := c.exec(q); err != nil {
		return nil, err
	}
	cols := []string{"id", "name"}
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
		for _, v := range c.pending {
			c.s.applied[v]++
		}
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
	if len(dest) == 2 {
		dest[1] = "ann"
	}
	return nil
}

var seq atomic.Int64

func newRepo(t *testing.T, s *server) *users.Repo {
	name := fmt.Sprintf("fakegorm%d", seq.Add(1))
	sql.Register(name, fdriver{s})
	db, err := sql.Open(name, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: db}), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return &users.Repo{DB: g}
}

func counts(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, " %s=%d", k, m[k])
	}
	return b.String()
}

func TestRLProbeGormStatementsPerFailure(t *testing.T) {
	calls := []struct {
		name   string
		prefix string
		do     func(context.Context, *users.Repo) error
	}{
		{"Get", "SELECT", func(ctx context.Context, r *users.Repo) error { _, err := r.Get(ctx, 1); return err }},
		{"List", "SELECT", func(ctx context.Context, r *users.Repo) error { _, err := r.List(ctx); return err }},
		{"Add", "COMMIT", func(ctx context.Context, r *users.Repo) error { return r.Add(ctx, &users.User{Name: "ann"}) }},
		{"Rename", "COMMIT", func(ctx context.Context, r *users.Repo) error { return r.Rename(ctx, 1, "bob") }},
		{"Replace", "COMMIT", func(ctx context.Context, r *users.Repo) error {
			return r.Replace(ctx, &users.User{ID: 1}, &users.User{Name: "ann"})
		}},
	}
	for _, call := range calls {
		for _, kind := range []string{"none", "eof", "reset"} {
			for _, after := range []bool{false, true} {
				if kind == "none" && after {
					continue
				}
				s := &server{applied: map[string]int{}}
				if kind != "none" {
					s.f = &fault{prefix: call.prefix, kind: kind, after: after}
				}
				err := call.do(context.Background(), newRepo(t, s))
				when := map[bool]string{false: "before", true: "after"}[after]
				if kind == "none" {
					when = "-"
				}
				fmt.Printf("PROBE %s fault=%s/%s err=%v reads=%d kept:%s\n", call.name, kind, when, err != nil, s.reads, counts(s.applied))
			}
		}
	}
}
