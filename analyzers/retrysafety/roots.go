package retrysafety

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// rootKind says where the memory an expression denotes or refers to lives,
// as seen from the function being analyzed.
type rootKind int

const (
	rootNone   rootKind = iota // locals, fresh values, call results
	rootRecv                   // reached from the receiver
	rootParam                  // reached from a parameter
	rootGlobal                 // a package variable, of any package
)

// root is the variable an expression starts from, when it outlives the run.
type root struct {
	kind  rootKind
	param int // for rootParam: the parameter's index
	// alias: reached through a local that holds a reference into that
	// state; assigning the local itself writes nothing that outlives the
	// run.
	alias bool
}

// fnStatic is what the analysis of one function body needs that does not
// depend on the fixed point (its callees' Writes and Reads): prepare
// computes it once, in one walk of the body, however often the function
// is analyzed.
type fnStatic struct {
	recv    *types.Var
	params  map[*types.Var]int
	aliases map[types.Object]root // locals holding a reference into state that outlives the run
	// discarded are calls whose error cannot reach a result: their whole
	// result is dropped, or the error is assigned to _.
	discarded map[*ast.CallExpr]bool
	// rangeChans are the X of range statements over channels.
	rangeChans map[ast.Expr]bool
	// panicsFrom is the position of a deferred handler that turns a panic
	// into the named error result (defer handleErr(&err), as yaml.v3
	// does): from there on, every call may fail by panicking. NoPos if
	// there is none.
	panicsFrom token.Pos
	// reads are the candidate locations of the last-value rule that the
	// body reads itself or through functions of other packages
	// (readNode), and readFns the functions of this package whose reads
	// count too: each analysis adds their reads as computed so far.
	reads   map[string]bool
	readFns []*types.Func
	// ownReadList is reads sorted, once readList has made it
	// (readListDone).
	ownReadList  []string
	readListDone bool
	// loops are the for and range statements of the body outside
	// function literals, in source order; cursorLoop's answer is computed
	// once (cursorDone).
	loops      []ast.Node
	cursorDone bool
	// callbackLoops are the calls of callback parameters inside loops
	// (callbacks.go).
	callbackLoops map[*ast.CallExpr]callbackLoop
	cursorPos     token.Pos
	cursorWhy     string
	// body is the function's body; buildsRequest: the function returns
	// an *http.Request (it builds one for its caller to send, so a POST
	// it builds is no request of its own); families are what handles
	// each request's own outcome, by the call making it (requests.go).
	body          *ast.BlockStmt
	buildsRequest bool
	families      map[*ast.CallExpr]*requestFamily
	// built are the requests the body builds, by the call sending
	// each (builtRequests), once builtDone.
	built     map[*ast.CallExpr]builtRequest
	builtDone bool
	// transient: the body may make an error the classifier retries
	// itself (mayMakeTransient), once transientDone.
	transient, transientDone bool
	// gqlDocs are the parameters whose value the body puts in a GraphQL
	// request's body, by index, with their names (gqlDocParams), once
	// gqlDocsDone.
	gqlDocs     map[int]string
	gqlDocsDone bool
}

// fnState is the analysis of one function body.
type fnState struct {
	*fnStatic
	r       *runner
	info    *types.Info
	out     *Writes
	visitor visitor // visit's
	// reads are the candidate locations of the last-value rule that the
	// body reads, itself or through its callees: fnStatic's, and those
	// of readFns so far. ownReads: they are fnStatic's map itself (no
	// callee added one), which is not to be changed.
	reads    map[string]bool
	ownReads bool
	// whatLV: the write What names for a key is a last value; lvLocs the
	// locations written as last values per key; nonLV the keys with some
	// other write (note). Made on the first write; reads is nil when
	// there are none.
	whatLV map[string]bool
	lvLocs map[string][]string
	nonLV  map[string]bool
	// body is the analyzed declaration's body, where the database rule
	// follows a query's SQL (sqltext.go); nil in prepare.
	body *ast.BlockStmt
	// lits are the summaries of the literals of calledLits called in
	// the body, made on their first call (closures.go).
	lits map[*ast.FuncLit]*litSummary
}

// newFnState starts an analysis of the function st was prepared for.
func newFnState(r *runner, st *fnStatic) *fnState {
	s := &fnState{
		fnStatic: st,
		r:        r,
		info:     r.pass.TypesInfo,
		out:      &Writes{},
	}
	// The body's own reads are shared until a callee adds one.
	s.reads = st.reads
	own := true
	for _, fn := range st.readFns {
		for _, l := range r.lv.reads[fn] {
			if s.reads[l] {
				continue
			}
			if own {
				s.reads, own = maps.Clone(st.reads), false
			}
			s.read(l)
		}
	}
	s.ownReads = own
	return s
}

// prepare computes the fnStatic of fn, whose body is at cursor body, in
// one walk of the body, and returns the functions the body refers to
// (calls, or uses as values), in order, for the package's call graph.
func (r *runner) prepare(body inspector.Cursor, fn *types.Func) (*fnStatic, []*types.Func) {
	// The maps are made when something goes in them: most bodies have no
	// aliases, discarded errors or ranges over channels.
	st := &fnStatic{params: map[*types.Var]int{}}
	s := &fnState{fnStatic: st, r: r, info: r.pass.TypesInfo}
	defer func() { st.reads = s.reads }()
	discard := func(c *ast.CallExpr) {
		if st.discarded == nil {
			st.discarded = map[*ast.CallExpr]bool{}
		}
		st.discarded[c] = true
	}
	sig := fn.Type().(*types.Signature)
	st.recv = sig.Recv()
	st.body, _ = body.Node().(*ast.BlockStmt)
	st.buildsRequest = returnsRequest(sig)
	for i := 0; i < sig.Params().Len(); i++ {
		st.params[sig.Params().At(i)] = i
	}
	var uses []*types.Func
	// binds are the nodes findAliases binds at, in source order, for its
	// second round.
	var binds []ast.Node
	// litEnd is the end of the outermost function literal walked so far:
	// the walk is in source order, so a node before it is inside it.
	litEnd := token.NoPos
	body.Inspect(nil, func(c inspector.Cursor) bool {
		n := c.Node()
		parent := c.Parent().Node()
		inLit := n.Pos() < litEnd
		var use types.Object
		switch n := n.(type) {
		case *ast.Ident:
			use = s.info.Uses[n]
			if fn, ok := use.(*types.Func); ok {
				uses = append(uses, fn)
				if fn.Pkg() == r.pass.Pkg {
					// A call through one of the package's interfaces
					// reaches its implementations here (ifaceWrites).
					uses = append(uses, r.ifaceImpls(fn)...)
				}
			}
		case *ast.FuncLit:
			if !inLit {
				litEnd = n.End()
			}
		case *ast.ExprStmt:
			if c, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				discard(c)
			}
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && isBlank(n.Lhs[len(n.Lhs)-1]) {
				if c, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					discard(c)
				}
			}
			if s.bindAt(n) {
				binds = append(binds, n)
			}
		case *ast.ValueSpec:
			if s.bindAt(n) {
				binds = append(binds, n)
			}
		case *ast.RangeStmt:
			if t := s.info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					if st.rangeChans == nil {
						st.rangeChans = map[ast.Expr]bool{}
					}
					st.rangeChans[n.X] = true
				}
			}
			if s.bindAt(n) {
				binds = append(binds, n)
			}
			if !inLit {
				st.loops = append(st.loops, n)
			}
		case *ast.ForStmt:
			if !inLit {
				st.loops = append(st.loops, n)
			}
		case *ast.CallExpr:
			st.noteCallbackLoop(s.info, c, n)
		case *ast.DeferStmt:
			if st.panicsFrom == token.NoPos && setsErrResult(s.info, sig, n.Call) {
				st.panicsFrom = n.Pos()
			}
		}
		s.readNode(n, parent, use)
		return true
	})
	// findAliases' second round follows chains of aliases bound in the
	// first: none if the first bound none.
	if len(st.aliases) > 0 {
		for _, n := range binds {
			s.bindAt(n)
		}
	}
	return st, uses
}

// setsErrResult reports whether a deferred call may set sig's named error
// result: it takes the result's address (handleErr(&err)), or it is a
// function literal that calls recover() (and so can turn a panic into the
// error it assigns).
func setsErrResult(info *types.Info, sig *types.Signature, call *ast.CallExpr) bool {
	res := sig.Results()
	if res.Len() == 0 || res.At(res.Len()-1).Name() == "" || !typepred.IsError(res.At(res.Len()-1).Type()) {
		return false
	}
	errVar := res.At(res.Len() - 1)
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok && id.Name == "recover" && info.Uses[id] == types.Universe.Lookup("recover") {
					found = true
				}
			}
			return !found
		})
		return found
	}
	for _, a := range call.Args {
		if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
			if id, ok := ast.Unparen(u.X).(*ast.Ident); ok && info.Uses[id] == errVar {
				return true
			}
		}
	}
	return false
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

// bindAt finds, at an assignment, declaration or range statement n, the
// locals that hold a reference (pointer, map, slice, channel, interface)
// into state that outlives the run: items := c.items, p := &c.cfg, for _,
// it := range c.ptrs. A write through one is a write of that state.
// prepare calls it in two rounds, the second to follow chains of such
// locals. It reports whether n is a node it binds at.
func (s *fnState) bindAt(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
			// v, ok := <-ch
			s.bind(n.Lhs[0], n.Rhs[0])
			return true
		}
		if len(n.Lhs) != len(n.Rhs) {
			return false
		}
		for i := range n.Lhs {
			s.bind(n.Lhs[i], n.Rhs[i])
		}
	case *ast.ValueSpec:
		if len(n.Names) != len(n.Values) {
			return false
		}
		for i := range n.Names {
			s.bind(n.Names[i], n.Values[i])
		}
	case *ast.RangeStmt:
		if _, isChan := typeUnder[*types.Chan](s.info.TypeOf(n.X)); isChan && n.Key != nil {
			// for v := range ch: what a channel that outlives the
			// run hands out (receivedRef).
			if r, ok := s.receivedRef(n.X, s.info.TypeOf(n.Key)); ok {
				if id, ok := n.Key.(*ast.Ident); ok && id.Name != "_" {
					if obj := s.info.ObjectOf(id); obj != nil {
						s.alias(obj, r)
					}
				}
			}
			return true
		}
		if n.Value == nil {
			return false
		}
		t := s.info.TypeOf(n.Value)
		if r, ok := s.sharedRef(n.X); ok && t != nil && refLike(t) {
			if id, ok := n.Value.(*ast.Ident); ok && id.Name != "_" {
				if obj := s.info.ObjectOf(id); obj != nil {
					s.alias(obj, r)
				}
			}
		}
	default:
		return false
	}
	return true
}

// alias records obj as an alias of state reached through r.
func (s *fnState) alias(obj types.Object, r root) {
	if s.aliases == nil {
		s.aliases = map[types.Object]root{}
	}
	s.aliases[obj] = r
}

// bind records lhs as an alias if it is a local assigned a reference
// into state that outlives the run, unless it already is one.
func (s *fnState) bind(lhs ast.Expr, rhs ast.Expr) {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok || id.Name == "_" {
		return
	}
	obj := s.info.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok || s.outer(v) {
		return
	}
	var r root
	var shared bool
	if u, ok := ast.Unparen(rhs).(*ast.UnaryExpr); ok && u.Op == token.AND {
		r, shared = s.sharedLvalue(u.X)
	} else if ok && u.Op == token.ARROW {
		r, shared = s.receivedRef(u.X, v.Type())
	} else {
		r, shared = s.sharedRef(rhs)
	}
	if shared {
		if _, seen := s.aliases[obj]; !seen {
			s.alias(obj, r)
		}
	}
}

// receivedRef reports whether a value of type t received from the
// channel ch refers to state that outlives the run: ch outlives it (it
// is reached from the receiver, a parameter or a package variable, and
// is no done or quit signal) and t holds references (holdsRefs). Another
// goroutine made what such a channel hands out, and the pointers in it
// point to that goroutine's state: amqp091-go's deliveries channel hands
// out Delivery values holding the Channel that Delivery.Ack writes a
// frame to.
func (s *fnState) receivedRef(ch ast.Expr, t types.Type) (root, bool) {
	if t == nil || signal(s.info.TypeOf(ch)) || !holdsRefs(t, 3) {
		return root{}, false
	}
	return s.sharedRef(ch)
}

// holdsRefs reports whether a value of type t is or holds, within depth
// levels of struct fields and array elements, a reference (refLike).
func holdsRefs(t types.Type, depth int) bool {
	if refLike(t) {
		return true
	}
	if depth == 0 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := range u.NumFields() {
			if holdsRefs(u.Field(i).Type(), depth-1) {
				return true
			}
		}
	case *types.Array:
		return holdsRefs(u.Elem(), depth-1)
	}
	return false
}

// outer reports whether v is the receiver, a parameter or a package variable.
func (s *fnState) outer(v *types.Var) bool {
	if v == s.recv || isGlobal(v) {
		return true
	}
	_, ok := s.params[v]
	return ok
}

func isGlobal(v *types.Var) bool {
	return v.Pkg() != nil && !v.IsField() && v.Parent() == v.Pkg().Scope()
}

// rootOf returns the variable that e starts from and whether reaching e
// from it goes through a pointer, map or slice (so that e is memory that
// variable refers to, rather than part of its own value).
func (s *fnState) rootOf(e ast.Expr) (root, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := s.info.ObjectOf(e).(*types.Var)
		if !ok {
			return root{}, false
		}
		switch {
		case isGlobal(v):
			return root{kind: rootGlobal}, false
		case v == s.recv:
			return root{kind: rootRecv}, false
		}
		if i, ok := s.params[v]; ok {
			return root{kind: rootParam, param: i}, false
		}
		if r, ok := s.aliases[v]; ok {
			r.alias = true
			return r, false
		}
		return root{}, false
	case *ast.SelectorExpr:
		sel, ok := s.info.Selections[e]
		if !ok {
			return s.rootOf(e.Sel) // a qualified identifier: pkg.Var
		}
		if sel.Kind() != types.FieldVal {
			return root{}, false
		}
		r, ind := s.rootOf(e.X)
		return r, ind || sel.Indirect()
	case *ast.IndexExpr:
		r, ind := s.rootOf(e.X)
		t := s.info.TypeOf(e.X)
		if t == nil {
			return root{}, false
		}
		switch t.Underlying().(type) {
		case *types.Map, *types.Slice, *types.Pointer:
			ind = true
		case *types.Array:
		default:
			return root{}, false // a string byte, or a generic instantiation
		}
		return r, ind
	case *ast.StarExpr:
		r, _ := s.rootOf(e.X)
		return r, true
	case *ast.SliceExpr:
		r, ind := s.rootOf(e.X)
		if t := s.info.TypeOf(e.X); t != nil {
			switch t.Underlying().(type) {
			case *types.Slice, *types.Pointer:
				ind = true
			}
		}
		return r, ind
	case *ast.TypeAssertExpr:
		return s.rootOf(e.X)
	case *ast.CallExpr:
		// A conversion that keeps the reference ((*ActionsService)(s),
		// as go-github's deprecated services delegate) starts from
		// what it converts.
		if len(e.Args) == 1 && s.keepsRef(e) {
			return s.rootOf(e.Args[0])
		}
	}
	return root{}, false
}

// keepsRef reports whether call is a conversion whose result refers to
// the memory its operand refers to: between two pointer, slice, map or
// channel types, or of such a reference to an interface. ([]byte(s) and
// string(b) copy.)
func (s *fnState) keepsRef(call *ast.CallExpr) bool {
	tv, ok := s.info.Types[call.Fun]
	if !ok || !tv.IsType() {
		return false
	}
	from, to := s.info.TypeOf(call.Args[0]), tv.Type
	if from == nil || to == nil {
		return false
	}
	if types.IsInterface(to) {
		return refLike(from)
	}
	switch from.Underlying().(type) {
	case *types.Pointer:
		_, ok := to.Underlying().(*types.Pointer)
		return ok
	case *types.Slice:
		_, ok := to.Underlying().(*types.Slice)
		return ok
	case *types.Map:
		_, ok := to.Underlying().(*types.Map)
		return ok
	case *types.Chan:
		_, ok := to.Underlying().(*types.Chan)
		return ok
	case *types.Interface:
		return types.IsInterface(to)
	}
	return false
}

// sharedLvalue reports whether writing e writes state that outlives the
// run: a package variable, or memory reached from the receiver, a
// parameter or an alias through a pointer, map or slice. (A value
// receiver's own fields are a copy.)
func (s *fnState) sharedLvalue(e ast.Expr) (root, bool) {
	r, ind := s.rootOf(e)
	return r, r.kind == rootGlobal && !r.alias || r.kind != rootNone && ind
}

// sharedRef reports whether the value of e gives access to state that
// outlives the run: it is a reference (pointer, map, slice, channel,
// interface) taken from the receiver, a parameter, a package variable or
// an alias.
func (s *fnState) sharedRef(e ast.Expr) (root, bool) {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		return s.sharedLvalue(u.X)
	}
	t := s.info.TypeOf(e)
	if t == nil || !refLike(t) {
		return root{}, false
	}
	r, _ := s.rootOf(e)
	return r, r.kind != rootNone
}

// refLike reports whether a value of type t refers to memory it does not
// hold.
func refLike(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Slice, *types.Chan, *types.Interface:
		return true
	}
	return false
}

// note records, in the function's Writes, the variable a write goes
// through, and the write itself (leaf: "sets c.n at c.go:12") as the
// first of its kind (the first that is not a last value, when there is
// one: it is what makes a caller unsafe). lv are the locations the write
// writes as last values, nil when it is not one.
func (s *fnState) note(r root, leaf string, lv []string) {
	key := ""
	switch r.kind {
	case rootRecv:
		s.out.Recv, key = true, "receiver"
	case rootGlobal:
		s.out.Global, key = true, "package"
	case rootParam:
		key = paramKey(r.param)
		if !slices.Contains(s.out.Params, r.param) {
			s.out.Params = append(s.out.Params, r.param)
		}
	default:
		return
	}
	if s.out.What == nil {
		s.out.What = map[string]string{}
		s.whatLV = map[string]bool{}
	}
	if _, ok := s.out.What[key]; !ok || lv == nil && s.whatLV[key] {
		s.out.What[key] = leaf
		s.whatLV[key] = lv != nil
	}
	if lv == nil {
		if s.nonLV == nil {
			s.nonLV = map[string]bool{}
		}
		s.nonLV[key] = true
	} else {
		if s.lvLocs == nil {
			s.lvLocs = map[string][]string{}
		}
		s.lvLocs[key] = append(s.lvLocs[key], lv...)
	}
}

// paramKey is the key of What, Streams and LastValue for parameter i:
// "param 1".
func paramKey(i int) string { return "param " + strconv.Itoa(i) }

// noteStream records a write that consumes or extends a stream reached
// through r (leaf: "writes to em.w (Write) at emit.go:30"): in What, as
// note does, and in Streams.
func (s *fnState) noteStream(r root, leaf string) {
	s.note(r, leaf, nil)
	key := ""
	switch r.kind {
	case rootRecv:
		key = "receiver"
	case rootGlobal:
		key = "package"
	case rootParam:
		key = paramKey(r.param)
	default:
		return
	}
	if s.out.Streams == nil {
		s.out.Streams = map[string]string{}
	}
	if _, ok := s.out.Streams[key]; !ok {
		s.out.Streams[key] = leaf
	}
}

// finish completes the function's Writes: sorted parameters, and the
// last values of the kinds whose every write is one.
func (s *fnState) finish() {
	slices.Sort(s.out.Params)
	for key, locs := range s.lvLocs {
		if s.nonLV[key] {
			continue
		}
		if s.out.LastValue == nil {
			s.out.LastValue = map[string][]string{}
		}
		slices.Sort(locs)
		s.out.LastValue[key] = slices.Compact(locs)
	}
}

// readList returns the body's reads, sorted. The list of the body's own
// reads (ownReads) is made once; it is not to be changed.
func (s *fnState) readList() []string {
	if s.ownReads && s.readListDone {
		return s.ownReadList
	}
	var out []string
	for l := range s.reads {
		out = append(out, l)
	}
	slices.Sort(out)
	if s.ownReads {
		s.ownReadList, s.readListDone = out, true
	}
	return out
}
