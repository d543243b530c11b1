package sqlfield // want package:"last values example.com/sqlfield.Store.custom"

// sqlfield runs queries whose SQL is held in unexported fields of its
// own types: the rule follows a field to every value the package gives
// it (a composite literal, an assignment), as it does a local.

import (
	"context"
	"database/sql"
)

type stmts struct{ sel, del string }

type Store struct {
	db       *sql.DB
	listQ    string
	claimQ   string
	tableQ   string
	custom   string
	queries  map[string]string
	st       stmts
	Exported string
}

// NewStore gives the fields their SQL, once.
func NewStore(db *sql.DB, table string) *Store {
	return &Store{
		db:     db,
		listQ:  "SELECT id FROM items",
		claimQ: "UPDATE items SET claimed = true WHERE id = (SELECT id FROM items LIMIT 1) RETURNING id",
		tableQ: "SELECT id FROM " + table,
		queries: map[string]string{
			"get":  "SELECT item FROM items WHERE id = $1",
			"bump": "UPDATE items SET n = n + 1 WHERE id = $1 RETURNING n",
		},
		st:       stmts{"SELECT count(*) FROM items", "DELETE FROM items RETURNING id"},
		Exported: "SELECT 1",
	}
}

// SetQuery lets its caller choose the SQL of custom.
func (s *Store) SetQuery(q string) { s.custom = q } // want SetQuery:"writes receiver"

// List reads.
func (s *Store) List(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, s.listQ)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Claim updates through a query.
func (s *Store) Claim(ctx context.Context) (int64, error) { // want Claim:"writes package state; early"
	var id int64
	err := s.db.QueryRowContext(ctx, s.claimQ).Scan(&id)
	return id, err
}

// Table reads a table named at construction.
func (s *Store) Table(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, s.tableQ)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Custom runs its caller's SQL: built at run time.
func (s *Store) Custom(ctx context.Context) error { // want Custom:"writes package state; early" Custom:"reads example.com/sqlfield.Store.custom"
	rows, err := s.db.QueryContext(ctx, s.custom)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Get reads through the table of queries held in a field.
func (s *Store) Get(ctx context.Context, id int64) (string, error) {
	var item string
	err := s.db.QueryRowContext(ctx, s.queries["get"], id).Scan(&item)
	return item, err
}

// Bump updates through it.
func (s *Store) Bump(ctx context.Context, id int64) (int64, error) { // want Bump:"writes package state; early"
	var n int64
	err := s.db.QueryRowContext(ctx, s.queries["bump"], id).Scan(&n)
	return n, err
}

// Count reads a field of a field, set by position.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, s.st.sel).Scan(&n)
	return n, err
}

// Purge deletes through the other one.
func (s *Store) Purge(ctx context.Context) error { // want Purge:"writes package state; early"
	rows, err := s.db.QueryContext(ctx, s.st.del)
	if err != nil {
		return err
	}
	return rows.Close()
}

// Exported runs the SQL of an exported field, which importers may set.
func (s *Store) RunExported(ctx context.Context) error { // want RunExported:"writes package state; early"
	rows, err := s.db.QueryContext(ctx, s.Exported)
	if err != nil {
		return err
	}
	return rows.Close()
}
