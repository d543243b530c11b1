package fixers

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// track is the tracking rewrite: the wrapper is intelligence.Track (or
// TrackErr, Track2) called with the worker's tracker and Op, and the
// records the body writes by hand go (records.go).
type track struct {
	*wrap
	trackerField string          // receiver field holding the Tracker
	op           string          // Op composite literal, unqualified
	records      []*ast.CallExpr // hand-written records in the body
	helpers      []*ast.CallExpr // calls of tracking helpers in the body

	// Computed by planRecords: the statements to delete, the records'
	// tracker and Op when the Track call reuses them, the nodes they come
	// from, and the edits deleting imports left unused.
	remove      map[ast.Stmt]bool
	trackerText string
	opText      string
	kept        []ast.Node
	dropImports []analysis.TextEdit

	body inspector.Cursor // the method's body, set by planRecords
}

func (w *track) arguments(rtPkg string) (string, []analysis.TextEdit, error) {
	if err := w.planRecords(w.records, w.helpers); err != nil {
		return "", nil, err
	}
	if w.opText != "" {
		return w.trackerText + ", " + w.opText, nil, nil
	}
	tracker, err := w.trackerExpr()
	if err != nil {
		return "", nil, err
	}
	return tracker + ", " + rtPkg + "." + w.op, nil, nil
}

func (w *track) rebinds() ([]string, string) { return nil, "" }

func (w *track) removals() (map[ast.Stmt]bool, []analysis.TextEdit) {
	return w.remove, w.dropImports
}

func (w *track) message(method, entry string) string { return "track " + method + " with " + entry }

// trackerExpr returns the tracker argument: the receiver's Tracker field or
// nil.
func (w *track) trackerExpr() (string, error) {
	if w.trackerField == "" {
		return "nil", nil
	}
	recv := w.sig.Recv()
	if recv == nil {
		return "", errorf("%s has no receiver to take the %s field from", w.name(), w.trackerField)
	}
	obj, _, indirect := types.LookupFieldOrMethod(recv.Type(), true, w.pass.Pkg, w.trackerField)
	field, ok := obj.(*types.Var)
	if !ok || !field.IsField() {
		return "", errorf("%s: the receiver has no field %s", w.name(), w.trackerField)
	}
	_, ptrRecv := types.Unalias(recv.Type()).(*types.Pointer)
	addr := ""
	switch {
	case typepred.IsPointerToNamed(field.Type(), targets.IntelligencePath, "Tracker"):
	case typepred.IsTypeNamed(field.Type(), targets.IntelligencePath, "Tracker"):
		if !ptrRecv && !indirect {
			return "", errorf("%s has a value receiver, so its Tracker field %s is a copy on every call; use a pointer receiver or a *intelligence.Tracker field", w.name(), w.trackerField)
		}
		addr = "&"
	default:
		return "", errorf("%s: field %s is a %s, not an intelligence.Tracker", w.name(), w.trackerField, field.Type())
	}
	name := recv.Name()
	if name == "" || name == "_" {
		base := "recv"
		if n := receiverNamed(w.pass, w.decl); n != nil {
			base = strings.ToLower(n.Obj().Name()[:1])
		}
		name = w.fresh(base, "recv")
		if err := w.nameParam(w.decl.Recv, types.NewTuple(recv), recv, name); err != nil {
			return "", err
		}
	} else if _, got := w.scope.LookupParent(name, w.pos); got != recv {
		return "", errorf("%s: receiver %s is redeclared before the work starts", w.name(), name)
	}
	return addr + name + "." + w.trackerField, nil
}
