package targets_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/targets"
)

// TestErrorFieldCalls checks which calls count as failing through the
// Error field of their result (gorm's chains): read on the call or on a
// local holding it; not a chain whose Error nobody reads, not a field of
// another name or type, not a method named Error.
func TestErrorFieldCalls(t *testing.T) {
	src := `package p

type DB struct {
	Error error
	Msg   string
}

func (db *DB) First(v any) *DB { return db }
func (db *DB) Find(v any) *DB  { return db }
func (db *DB) Where(q string) *DB { return db }
func (db *DB) Create(v any) *DB { return db }
func (db *DB) Save(v any) *DB   { return db }
func (db *DB) Delete(v any) *DB { return db }

type Note struct{ Error string }

func note() Note { return Note{} }

type Resp struct{}

func (Resp) Error() string { return "" }
func send() Resp          { return Resp{} }

var global *DB

func use(db *DB) (string, error) {
	if err := db.Where("a").First(nil).Error; err != nil {
		return "", err
	}
	res := db.Find(nil)
	if res.Error != nil {
		return "", res.Error
	}
	var kept = db.Create(nil)
	_ = kept.Error
	global = db.Save(nil)
	_ = global.Error
	db.Delete(nil)
	_ = note().Error
	_ = send().Error()
	return "", nil
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	var got []string
	for c := range targets.ErrorFieldCalls(info, []*ast.File{f}) {
		got = append(got, c.Fun.(*ast.SelectorExpr).Sel.Name)
	}
	slices.Sort(got)
	// First: on the call; Find and Create: on a local holding the
	// result. Not Where (inside a chain), Save (a package variable),
	// Delete (nobody reads it), note (a string field), send (a method).
	if want := []string{"Create", "Find", "First"}; !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
}
