package retrysafety

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/targets"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

type runner struct {
	pass   *analysis.Pass
	cfgs   *ctrlflow.CFGs
	facts  map[*types.Func]*Writes // this package's functions, as computed so far
	goroot map[*types.Package]bool
	// repeatables are the qualified names of repeatable-funcs, the
	// configured effects meant to repeat on every attempt (repeatable.go).
	repeatables map[string]bool
	// decls are the package's function declarations, and accs what
	// accumulates found of their parameters (loops.go).
	decls map[*types.Func]*ast.FuncDecl
	accs  map[accKey]bool
	// lv is the last-value rule's state (lastvalue.go).
	lv lvState
	// locals are the values assigned to the package's local variables
	// (localValues), made on first use.
	locals map[*types.Var][]ast.Expr
	// assigns counts, per local variable, its assignments of any form
	// (one to one, from a tuple, a range's key or value), and addrs are
	// the locals whose address is taken (&x): varUses, made on first
	// use.
	assigns map[*types.Var]int
	addrs   map[*types.Var]bool
	// gqlVars caches gqlVar's answers per local variable.
	gqlVars map[*types.Var]gqlDoc
	// memo are the package's memo stores (memo.go), which are no writes.
	memo map[ast.Node]bool
	// in is the package's inspector (pass.ResultOf[inspect.Analyzer]),
	// for the enclosing statements of a call (debugTrace).
	in *inspector.Inspector
	// Answers about types that cost method-set lookups (types.Implements),
	// asked again for every call: streamType, the io.Reader and io.Writer
	// bits of streamArgs (ioReader|ioWriter, plus ioKnown once computed),
	// and typepred.ImplementsError per last result type (failsWithError).
	streamTypes map[typeKey]bool
	ioKinds     map[typeKey]uint8
	failTypes   map[types.Type]bool
	// errFields are the calls whose error is read from a field of their
	// result (gorm's db.First(&u).Error: targets.ErrorFieldCalls).
	errFields map[*ast.CallExpr]bool
	// statics are what prepare found of each declaration's body.
	statics map[*types.Func]*fnStatic
	// repeatFuncs and repeatMethods cache repeatableCall's answers, by
	// callee and by method of the receiver's named type.
	repeatFuncs   map[*types.Func]bool
	repeatMethods map[repeatKey]bool
	wheres        map[token.Pos]string // where's answers
	// imported caches the Facts of the functions of other packages
	// called or referred to (calleeFacts).
	imported map[*types.Func]*importedFacts
	// impls caches ifaceImpls: the implementations of an interface
	// method in the interface's package.
	impls map[*types.Func][]*types.Func
	// globalsSet are the package variables the package assigns
	// (assignedGlobals), once globalsDone.
	globalsSet  map[*types.Var]bool
	globalsDone bool
	// methodsByName caches declaredMethods, per package.
	methodsByName map[*types.Package]map[string][]*types.Func
	// methodParams are the package's functions that take the HTTP method
	// of a request as a parameter (requests.go), by its index;
	// importedMethods caches methodArg's answers for other packages'.
	methodParams    map[*types.Func]int
	importedMethods map[*types.Func]int
	// litVars are the package's local variables holding a function
	// literal that is only called, and litsCalled those literals
	// (calledLits), once computed.
	litVars    map[*types.Var]*ast.FuncLit
	litsCalled map[*ast.FuncLit]bool
	// plainFns caches plainFunc: the package's functions whose errors
	// the default classifier never retries (transient.go).
	plainFns map[*types.Func]bool
	// fieldSrcs are the values the package gives its unexported fields
	// (fieldSources), once computed.
	fieldSrcs map[*types.Var][]varSource
	// scratch are analyze's and exits' buffers, reused from one
	// analysis to the next (a package's functions are analyzed one at a
	// time): made anew for every function, they were a fifth of the
	// bytes the analyzer allocates.
	scratch scratch
}

// scratch are buffers of analyze (blockEvents: the events of each block
// of the CFG; evs: one node's) and exits (per block: whether it exits,
// whether it stops, its predecessors; the blocks to visit).
type scratch struct {
	blockEvents [][]event
	evs         []event
	out, dead   []bool
	preds       [][]*cfg.Block
	ends        []*cfg.Block
}

// reuse returns buf resliced to n elements, each emptied (to length 0,
// keeping its capacity), or a new slice when buf is too short.
func reuse[T any](buf [][]T, n int) [][]T {
	if cap(buf) < n {
		return make([][]T, n)
	}
	buf = buf[:n]
	for i := range buf {
		buf[i] = buf[i][:0]
	}
	return buf
}

const (
	ioReader = 1 << iota
	ioWriter
	ioKnown
)

// typeKey is the key of a type in the caches of answers about types:
// the type itself, or, for an unnamed pointer type (which the type
// checker makes anew for every &x), the type it points to.
type typeKey struct {
	t   types.Type
	ptr bool
}

func keyOf(t types.Type) typeKey {
	if p, ok := t.(*types.Pointer); ok {
		return typeKey{p.Elem(), true}
	}
	return typeKey{t, false}
}

// isStream is streamType(t), cached.
func (r *runner) isStream(t types.Type) bool {
	k := keyOf(t)
	v, ok := r.streamTypes[k]
	if !ok {
		v = streamType(t)
		r.streamTypes[k] = v
	}
	return v
}

// ioKind returns whether t implements io.Reader (ioReader) and io.Writer
// (ioWriter), cached.
func (r *runner) ioKind(t types.Type) uint8 {
	key := keyOf(t)
	k := r.ioKinds[key]
	if k&ioKnown == 0 {
		k = ioKnown
		if types.Implements(t, typepred.IOReader) {
			k |= ioReader
		}
		if types.Implements(t, typepred.IOWriter) {
			k |= ioWriter
		}
		r.ioKinds[key] = k
	}
	return k
}

// failsWithError is typepred.FailsWithError(sig), cached by the type of
// sig's last result (what it depends on): a method's signature, as the
// type of the selector calling it, is made anew for every selector.
func (r *runner) failsWithError(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() == 0 {
		return false
	}
	t := res.At(res.Len() - 1).Type()
	v, ok := r.failTypes[t]
	if !ok {
		v = typepred.ImplementsError(t)
		r.failTypes[t] = v
	}
	return v
}

func run(pass *analysis.Pass, cfg *config.Config) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("retrysafety: internal error (please report it): panic: %v\n%s", p, debug.Stack())
		}
	}()
	r := &runner{
		pass:   pass,
		cfgs:   pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		facts:  map[*types.Func]*Writes{},
		goroot: map[*types.Package]bool{},

		repeatables:   configRepeatable(cfg),
		decls:         map[*types.Func]*ast.FuncDecl{},
		accs:          map[accKey]bool{},
		lv:            newLVState(cfg),
		streamTypes:   map[typeKey]bool{},
		ioKinds:       map[typeKey]uint8{},
		failTypes:     map[types.Type]bool{},
		errFields:     targets.ErrorFieldCalls(pass.TypesInfo, pass.Files),
		statics:       map[*types.Func]*fnStatic{},
		repeatFuncs:   map[*types.Func]bool{},
		repeatMethods: map[repeatKey]bool{},
		wheres:        map[token.Pos]string{},
		imported:      map[*types.Func]*importedFacts{},
		impls:         map[*types.Func][]*types.Func{},
		methodsByName: map[*types.Package]map[string][]*types.Func{},

		methodParams:    map[*types.Func]int{},
		importedMethods: map[*types.Func]int{},
	}
	result := &Result{Funcs: map[*types.Func]*Verdict{}, ErrorFields: r.errFields}
	if targets.InGOROOT(pass.Fset, pass.Files) {
		// No facts from the standard library, which drivers analyze
		// from source or not (a verdict must not depend on the driver),
		// and no agents to decide on: its calls are judged by what they
		// are known to do (opaqueCall).
		return result, nil
	}
	locations := r.findLocations()
	type decl struct {
		fd   *ast.FuncDecl
		fn   *types.Func
		body inspector.Cursor // fd.Body in the inspector, for prepare's walk
	}
	var decls []decl
	index := map[*types.Func]int{}
	// The function declarations of the package's files, in order, as the
	// inspector holds them: its walks of a body cost less than
	// ast.Inspect's.
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r.in = in
	for c := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		if fd := c.Node().(*ast.FuncDecl); fd.Body != nil {
			if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
				index[fn] = len(decls)
				decls = append(decls, decl{fd, fn, c.ChildAt(edge.FuncDecl_Body, -1)})
				r.decls[fn] = fd
			}
		}
	}
	// After the declarations: a memo store may call a LoadOrStore
	// forwarder declared in the package (loadOrStoreForwarder).
	r.memo = r.findMemoStores()
	// The functions taking a request's method as a parameter, before
	// any body is judged: a call of one with a constant POST is a request.
	fns := make([]*types.Func, len(decls))
	for i, d := range decls {
		fns[i] = d.fn
	}
	r.findMethodParams(fns)
	// callers[i]: the declarations calling decls[i], or referring to it as
	// a value (a method value, a callback), whose Reads include its own.
	// prepare finds what each body refers to, with the rest of what its
	// analyses need that does not depend on the fixed point.
	callers := make([][]int, len(decls))
	seen := make([]int, len(decls)) // seen[j] == i+1: j is already among i's callees
	for i, d := range decls {
		st, uses := r.prepare(d.body, d.fn)
		r.statics[d.fn] = st
		for _, fn := range uses {
			if j, ok := index[fn.Origin()]; ok && seen[j] != i+1 {
				seen[j] = i + 1
				callers[j] = append(callers[j], i)
			}
		}
	}
	// A fixed point over the package's calls, as a worklist: what a
	// function writes grows with what its callees write, so a function
	// is analyzed again when a callee's Writes grow. Writes only grow,
	// so it ends; the bound only guards against a mistake. The verdict
	// kept is the one from each function's last analysis, made with its
	// callees' final Writes. Functions are taken callees first (calleeOrder:
	// the strongly connected components of the call graph in reverse
	// topological order), the first queued in that order next, so that
	// only the functions of a cycle are analyzed more than once.
	order := calleeOrder(callers)
	rank := make([]int, len(decls)) // rank[i]: decls[i]'s place in order
	for k, i := range order {
		rank[i] = k
	}
	queued := make([]bool, len(decls)) // by rank
	for k := range queued {
		queued[k] = true
	}
	next := 0 // no rank below next is queued
	for steps := 0; steps < 16*len(decls)+16; steps++ {
		for next < len(queued) && !queued[next] {
			next++
		}
		if next == len(queued) {
			break
		}
		queued[next] = false
		i := order[next]
		d := decls[i]
		w, v, s := r.analyze(d.fd, d.fn)
		result.Funcs[d.fn] = v
		old := r.facts[d.fn]
		r.facts[d.fn] = w
		oldReads := r.lv.reads[d.fn]
		r.lv.reads[d.fn] = s.readList()
		if old == nil && !w.empty() || old != nil && !old.equal(w) || !slices.Equal(oldReads, r.lv.reads[d.fn]) {
			for _, c := range callers[i] {
				if k := rank[c]; !queued[k] {
					queued[k] = true
					next = min(next, k)
				}
			}
		}
	}
	for _, d := range decls {
		if i, ok := r.methodParams[d.fn]; ok {
			pass.ExportObjectFact(d.fn, &MethodParam{Index: i})
		}
		if w := r.facts[d.fn]; w != nil && !w.empty() {
			pass.ExportObjectFact(d.fn, w)
		}
		if reads := r.lv.reads[d.fn]; len(reads) > 0 {
			pass.ExportObjectFact(d.fn, &Reads{Locations: reads})
		}
	}
	if len(locations.LastValue) > 0 || len(locations.Repeatable) > 0 {
		pass.ExportPackageFact(locations)
	}
	return result, nil
}

// calleeOrder returns the indices of the declarations, callees first: the
// strongly connected components of the call graph (callers[j] are the
// declarations calling j) in reverse topological order, each component's
// members in declaration order. It is Tarjan's algorithm, iterative so
// that a long chain of calls does not grow the goroutine stack.
func calleeOrder(callers [][]int) []int {
	n := len(callers)
	callees := make([][]int, n)
	for j, cs := range callers {
		for _, i := range cs {
			callees[i] = append(callees[i], j)
		}
	}
	const unvisited = -1
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = unvisited
	}
	var stack, order []int
	type frame struct{ v, next int } // next: the next callee of v to visit
	var frames []frame
	counter := 0
	for root := range n {
		if index[root] != unvisited {
			continue
		}
		frames = append(frames[:0], frame{v: root})
		index[root], low[root] = counter, counter
		counter++
		stack = append(stack, root)
		onStack[root] = true
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			v := f.v
			if f.next < len(callees[v]) {
				w := callees[v][f.next]
				f.next++
				switch {
				case index[w] == unvisited:
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					frames = append(frames, frame{v: w})
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				u := frames[len(frames)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				start := len(stack) - 1
				for stack[start] != v {
					start--
				}
				scc := stack[start:]
				for _, w := range scc {
					onStack[w] = false
				}
				slices.Sort(scc)
				order = append(order, scc...)
				stack = stack[:start]
			}
		}
	}
	return order
}

// streamWhy is why a failed read of a stream cannot be retried.
const streamWhy = "a stream is not rewound, so a retry would not read the same data again"

// event is one effect of a node, in evaluation order.
type event struct {
	key  token.Pos // order within the node: a call at its end, an assignment after its right-hand side
	pos  token.Pos
	fail bool   // a call that can fail, whose error can reach a result
	what string // a write of state that outlives the run ("sets c.n"), "" if none
	// self: the failing call itself may have written when it fails (it
	// consumes a stream, or its callee writes before it can fail);
	// selfWhy says why a retry would not repeat it faithfully.
	self    bool
	selfWhy string
	// stream: what the effect does to a stream (streamKind: "reads",
	// "writes" or "uses"), "" when it is no stream's; for the advice.
	stream string
	// callback: the effect is a run of a callback parameter per item
	// of a loop (callbacks.go).
	callback bool
	// db: the effect is a database statement or commit (sqlwrites.go).
	db bool
	// gql: the effect is a GraphQL mutation sent (gqlwrites.go).
	gql bool
	// request: the effect is a POST or PATCH sent (requests.go), made
	// by call, whose own outcome the calls of its family handle.
	// sends and sendsEarly are the callee's (its Writes), which
	// requestEvent turns into a request event of their own.
	request bool
	call    *ast.CallExpr
	// iterates: the failure of a range over the function iterator that
	// call made (a stream as iter.Seq2[T, error]), at the loop's head.
	iterates   bool
	sends      string
	sendsEarly bool
	fun        ast.Expr // for calls: the callee expression, named in messages (callName)
	// lv, for a write, are the locations it writes as last values
	// (lastvalue.go); nil when any of its writes is not one.
	lv []string
}

// callName returns the callee of a call's event as written ("c.fetch"),
// for messages; "" for other events. It is built only for the events a
// message names.
func (e *event) callName() string {
	if e.fun == nil {
		return ""
	}
	return types.ExprString(e.fun)
}

// analyze computes what fd writes and whether running it twice is safe.
func (r *runner) analyze(fd *ast.FuncDecl, fn *types.Func) (*Writes, *Verdict, *fnState) {
	s := newFnState(r, r.statics[fn])
	s.body = fd.Body
	v := &Verdict{}
	g := r.cfgs.FuncDecl(fd)
	if g == nil {
		s.finish()
		return s.out, v, s
	}
	blockEvents, evs, _ := s.collect(g, r.scratch.blockEvents, r.scratch.evs, false)
	defer func() { r.scratch.blockEvents, r.scratch.evs = blockEvents, evs }()
	j := s.judge(g, blockEvents)
	bad, why := j.bad, j.why
	s.out.Early = j.early
	s.out.SendsEarly = j.sendsEarly && s.out.Sends != ""
	if bad != nil {
		v.Pos, v.What, v.Reason = bad.pos, bad.what+" at "+r.where(bad.pos), why
		v.Advice = "move that effect after the call that can fail or route that call alone"
		switch {
		case bad.callback:
			v.Advice = callbackAdvice
		case bad.db && bad.selfWhy == sqlCommitWhy:
			v.Advice = sqlCommitAdvice
		case bad.db && (bad.selfWhy == sqlBuiltWhy || bad.selfWhy == sqlParamWhy):
			v.Advice = sqlBuiltAdvice
		case bad.db && bad.selfWhy == sqlBatchWhy:
			v.Advice = sqlBatchAdvice
		case bad.db:
			v.Advice = sqlAdvice
		case bad.gql:
			v.Advice = gqlAdvice
		case bad.request:
			v.Advice = requestAdvice
		case bad.self && bad.stream == "reads":
			v.Advice = "retry around re-opening the stream instead"
		case bad.self && bad.stream == "writes":
			v.Advice = "give each attempt a fresh output, such as a buffer written once the retry succeeds, instead"
		case bad.self && bad.stream != "":
			v.Advice = "give each attempt a fresh input or output instead"
		}
	}
	if pos, loop := s.cursorLoop(); loop != "" {
		s.out.Loop = loop
		if bad == nil || pos < bad.pos {
			v.Pos, v.What, v.Reason = pos, loop, "it "+loop+"; a retry would restart the loop from its first iteration"
			v.Advice = "route the call made in each iteration instead"
		}
	} else if bad != nil && !j.self {
		v.Keep = s.keep(fd.Body, j.unsafeAt, j.failAt)
	}
	s.finish()
	return s.out, v, s
}

// collect returns the events of each block of g (blockEvents, reused
// from the buffer given, as is evs, one node's), in evaluation order, for
// the blocks from which the function returns: a path that ends in panic
// or os.Exit returns no error to retry, and its writes reach no caller.
// The events of deferred calls run when the function returns, after
// every call that can fail: they count for the fact only, and, with lit
// (g is a function literal's, run where it is called), are returned
// apart (deferred).
func (s *fnState) collect(g *cfg.CFG, blockEvents [][]event, evs []event, lit bool) (_ [][]event, _ []event, deferred []event) {
	exits := s.r.exits(g)
	blockEvents = reuse(blockEvents, len(g.Blocks))
	for _, b := range g.Blocks {
		if !b.Live || !exits[b.Index] {
			continue
		}
		if rs, ok := b.Stmt.(*ast.RangeStmt); ok && b.Kind == cfg.KindRangeLoop && typepred.RangeYieldsError(s.info, rs) {
			// A range over a function iterator yielding an error (a
			// stream as iter.Seq2[T, error]): each iteration can fail,
			// at the loop's head, so what the body wrote in the
			// iterations before is written before a failure.
			// The failure is the iterator's: for a request, part of its
			// outcome (call: requests.go's family).
			call, _ := ast.Unparen(rs.X).(*ast.CallExpr)
			blockEvents[b.Index] = append(blockEvents[b.Index], event{key: rs.Pos(), pos: rs.X.Pos(), fail: true, fun: rangeFun(rs.X), call: call, iterates: true})
		}
		for _, n := range b.Nodes {
			evs = evs[:0]
			switch n := n.(type) {
			case *ast.DeferStmt:
				// Runs when the function returns, after every call
				// that can fail: it counts for the fact only.
				s.visit(n.Call, true, &evs)
				if lit {
					deferred = append(deferred, evs...)
				}
				continue
			case *ast.GoStmt:
				s.visit(n.Call, true, &evs)
			default:
				s.visit(n, false, &evs)
			}
			slices.SortStableFunc(evs, func(a, b event) int { return int(a.key - b.key) })
			blockEvents[b.Index] = append(blockEvents[b.Index], evs...)
		}
	}
	return blockEvents, evs, deferred
}

// judgement is what judge finds of a body's events: its first unsafe
// effect (bad, with its reason why, nil if none), where its unsafe
// effects and its calls that can fail are (for keep), whether the unsafe
// one is in the call that fails (self), and whether the body writes
// (early) or sends a request (sendsEarly) before a call that can fail,
// last values included (the Writes fact's Early and SendsEarly).
type judgement struct {
	bad               *event
	why               string
	unsafeAt, failAt  []token.Pos
	self              bool
	early, sendsEarly bool
}

// judge finds, on the control-flow graph g with the events of its
// blocks, the effects that come before a call that can fail (see
// judgement).
func (s *fnState) judge(g *cfg.CFG, blockEvents [][]event) judgement {
	r := s.r
	// nextFail returns the first failing event of the nearest block
	// reachable from a block in one or more steps (breadth first, so a
	// loop reaches its own block again), or nil.
	firstFail := func(b int) *event {
		for i := range blockEvents[b] {
			if blockEvents[b][i].fail {
				return &blockEvents[b][i]
			}
		}
		return nil
	}
	// Its answers, by block, are kept (next, nextDone): every write of a
	// block asks for the same one; seenAt marks the blocks the search
	// numbered stamp has seen, and queue is reused.
	var next []*event
	var nextDone []bool
	var seenAt []int
	var queue []*cfg.Block
	stamp := 0
	nextFail := func(from *cfg.Block) *event {
		if next == nil {
			next, nextDone, seenAt = make([]*event, len(g.Blocks)), make([]bool, len(g.Blocks)), make([]int, len(g.Blocks))
		}
		if nextDone[from.Index] {
			return next[from.Index]
		}
		stamp++
		var found *event
		queue = append(queue[:0], from.Succs...)
		for h := 0; h < len(queue); h++ {
			b := queue[h]
			if seenAt[b.Index] == stamp {
				continue
			}
			seenAt[b.Index] = stamp
			if e := firstFail(int(b.Index)); e != nil {
				found = e
				break
			}
			queue = append(queue, b.Succs...)
		}
		next[from.Index], nextDone[from.Index] = found, true
		return found
	}
	var j judgement
	for _, b := range g.Blocks {
		evs := blockEvents[b.Index]
		for i, e := range evs {
			if e.fail {
				j.failAt = append(j.failAt, e.pos)
			}
			if e.what == "" {
				continue
			}
			reason := ""
			switch {
			case e.self:
				reason = fmt.Sprintf("it %s at %s in %s, a call that can fail; %s", e.what, r.where(e.pos), e.callName(), e.selfWhy)
			case e.request:
				// A request: the calls handling its own outcome are
				// part of it (requests.go).
				fam := s.requestFamily(e.call)
				part := func(f *event) bool {
					// A range over the iterator the request's call
					// made fails with the request's own stream. A
					// call that cannot fail transiently makes no
					// retry (transient.go).
					return f.call != nil && (f.iterates && f.call == e.call || fam.handles(s, f.call) ||
						!f.iterates && s.plainCall(f.call) && !s.mayMakeTransient())
				}
				if f := nextFailOutside(g, blockEvents, b, i, part); f != nil {
					reason = fmt.Sprintf("it %s at %s, which the server may have acted on, before the call that can fail (%s at %s); a retry would send it again", e.what, r.where(e.pos), f.callName(), r.where(f.pos))
				}
			default:
				var f *event
				for k := i + 1; k < len(evs) && f == nil; k++ {
					if evs[k].fail {
						f = &evs[k]
					}
				}
				if f == nil {
					f = nextFail(b)
				}
				if f != nil {
					reason = fmt.Sprintf("it %s at %s before the call that can fail (%s at %s); a retry would repeat it", e.what, r.where(e.pos), f.callName(), r.where(f.pos))
				}
			}
			if reason == "" {
				continue
			}
			if e.request {
				j.sendsEarly = true
			} else {
				j.early = true
			}
			if s.lvAccepted(e.lv) {
				// A last value that nothing the retry re-runs reads
				// back: repeating it leaves what one attempt leaves.
				continue
			}
			if read := s.lvReadBack(e.lv); read != "" {
				reason += " (a last value, but " + read + " is read back by the code a retry re-runs)"
			}
			j.unsafeAt = append(j.unsafeAt, e.pos)
			j.self = j.self || e.self
			if j.bad == nil || e.pos < j.bad.pos {
				j.bad, j.why = &evs[i], reason
			}
		}
	}
	return j
}

// rangeFun is what a failure of a range over the function iterator x is
// named by: the function of the call that made it (c.Stream), or x.
func rangeFun(x ast.Expr) ast.Expr {
	if c, ok := ast.Unparen(x).(*ast.CallExpr); ok {
		return c.Fun
	}
	return x
}

// nextFailOutside returns the first failing event after event i of
// block b that skip does not reject: later in b, else in the nearest
// block reachable from b (breadth first, so a loop reaches b again); nil
// when there is none.
func nextFailOutside(g *cfg.CFG, blockEvents [][]event, b *cfg.Block, i int, skip func(*event) bool) *event {
	evs := blockEvents[b.Index]
	for j := i + 1; j < len(evs); j++ {
		if evs[j].fail && !skip(&evs[j]) {
			return &evs[j]
		}
	}
	seen := make([]bool, len(g.Blocks))
	queue := append([]*cfg.Block(nil), b.Succs...)
	for h := 0; h < len(queue); h++ {
		n := queue[h]
		if seen[n.Index] {
			continue
		}
		seen[n.Index] = true
		for j := range blockEvents[n.Index] {
			if f := &blockEvents[n.Index][j]; f.fail && !skip(f) {
				return f
			}
		}
		queue = append(queue, n.Succs...)
	}
	return nil
}

// exits reports, per block of g, whether the function can return from it:
// some path from it reaches a return statement or the end of the body
// without a call that never returns (panic, os.Exit, log.Fatal..., or any
// function ctrlflow knows never to return).
// The slice returned is valid until the next call.
func (r *runner) exits(g *cfg.CFG) []bool {
	n := len(g.Blocks)
	sc := &r.scratch
	sc.out = append(sc.out[:0], make([]bool, n)...)
	sc.dead = append(sc.dead[:0], make([]bool, n)...)
	sc.preds = reuse(sc.preds, n)
	out, dead, preds, ends := sc.out, sc.dead, sc.preds, sc.ends[:0]
	defer func() { sc.ends = ends }()
	for _, b := range g.Blocks {
		dead[b.Index] = r.stops(b)
		for _, succ := range b.Succs {
			preds[succ.Index] = append(preds[succ.Index], b)
		}
		if b.Live && len(b.Succs) == 0 && !dead[b.Index] {
			ends = append(ends, b)
		}
	}
	for len(ends) > 0 {
		b := ends[len(ends)-1]
		ends = ends[:len(ends)-1]
		if out[b.Index] || dead[b.Index] {
			continue
		}
		out[b.Index] = true
		ends = append(ends, preds[b.Index]...)
	}
	return out
}

// stops reports whether block b makes a call that never returns, as a
// statement: panic, os.Exit, log.Fatal..., log.Panic... (the standard
// library's, whatever the driver knows of it) or a function ctrlflow
// knows never to return.
func (r *runner) stops(b *cfg.Block) bool {
	for _, n := range b.Nodes {
		st, ok := n.(*ast.ExprStmt)
		if !ok {
			continue
		}
		c, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		switch fn := typeutil.Callee(r.pass.TypesInfo, c).(type) {
		case *types.Builtin:
			if fn.Name() == "panic" {
				return true
			}
		case *types.Func:
			if r.cfgs.NoReturn(fn) || neverReturns(fn) {
				return true
			}
		}
	}
	return false
}

// neverReturns reports whether fn is os.Exit or one of log's Fatal and
// Panic functions or Logger methods.
func neverReturns(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os":
		return fn.Name() == "Exit"
	case "log":
		return strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "Panic")
	}
	return false
}

// where names pos as file:line ("c.go:12"), for messages; the names are
// cached, since every analysis of a function names its writes again.
func (r *runner) where(pos token.Pos) string {
	if w, ok := r.wheres[pos]; ok {
		return w
	}
	p := r.pass.Fset.Position(pos)
	w := filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
	r.wheres[pos] = w
	return w
}

// visit appends to evs the effects of node n, in no particular order.
// Calls in function literals are not failing calls of this body (the call
// that runs the literal is, when it returns an error), but their writes
// are writes of this body, where the literal appears. With noFail, no call
// is a failing one (a go statement's).
func (s *fnState) visit(n ast.Node, noFail bool, evs *[]event) {
	// One visitor per fnState, walked with: a closure given to
	// ast.Inspect was allocated on every call.
	v := &s.visitor
	saved := *v
	*v = visitor{s: s, noFail: noFail, evs: evs}
	ast.Walk(v, n)
	*v = saved
}

// visitor is visit's ast.Visitor.
type visitor struct {
	s      *fnState
	noFail bool
	evs    *[]event
}

// Visit appends the effects of x itself to v.evs (see visit).
func (v *visitor) Visit(x ast.Node) ast.Visitor {
	if v.s.visitNode(x, v.noFail, v.evs) {
		return v
	}
	return nil
}

// visitNode appends to evs the effects of node x itself and reports
// whether visit goes on with the nodes under it.
func (s *fnState) visitNode(x ast.Node, noFail bool, evs *[]event) bool {
	if x == nil {
		return false
	}
	if len(s.rangeChans) > 0 {
		if e, ok := x.(ast.Expr); ok && s.rangeChans[e] && !signal(s.info.TypeOf(e)) {
			if r, ok := s.sharedRef(e); ok {
				s.write(evs, r, e.End(), e.Pos(), "receives from "+types.ExprString(e), nil)
			}
		}
	}
	switch x := x.(type) {
	case *ast.FuncLit:
		if _, called := s.r.calledLits(); called[x] {
			// Judged where it is called (closures.go).
			return false
		}
		s.visit(x.Body, true, evs)
		return false
	case *ast.AssignStmt:
		verb := "sets"
		if x.Tok != token.ASSIGN && x.Tok != token.DEFINE {
			verb = "updates"
		}
		for _, lhs := range x.Lhs {
			if isBlank(lhs) || s.declaredPath(lhs) || s.r.memo[x] {
				continue
			}
			if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
				// An entry of a side table keyed by weak pointers:
				// its object's (weakkeys.go).
				if r, shared, weak := s.weakEntryWrite(ix.Index); weak {
					if shared {
						s.write(evs, r, x.End(), lhs.Pos(), "sets the entry of "+types.ExprString(ix.Index)+" in "+types.ExprString(ix.X), nil)
					}
					continue
				}
			}
			if r, ok := s.sharedLvalue(lhs); ok {
				s.write(evs, r, x.End(), lhs.Pos(), verb+" "+types.ExprString(lhs), s.lvWrite(x, lhs))
			}
		}
	case *ast.IncDecStmt:
		if r, ok := s.sharedLvalue(x.X); ok && !s.declaredPath(x.X) {
			verb := "increments"
			if x.Tok == token.DEC {
				verb = "decrements"
			}
			s.write(evs, r, x.End(), x.Pos(), verb+" "+types.ExprString(x.X), nil)
		}
	case *ast.SendStmt:
		if r, ok := s.sharedRef(x.Chan); ok && !s.declaredPath(x.Chan) {
			s.write(evs, r, x.End(), x.Pos(), "sends on "+types.ExprString(x.Chan), nil)
		}
	case *ast.UnaryExpr:
		if x.Op == token.ARROW && !signal(s.info.TypeOf(x.X)) {
			if r, ok := s.sharedRef(x.X); ok {
				s.write(evs, r, x.End(), x.Pos(), "receives from "+types.ExprString(x.X), nil)
			}
		}
	case *ast.CallExpr:
		e := s.call(x, noFail)
		if e.fail || e.what != "" {
			*evs = append(*evs, e)
		}
		if req, ok := s.requestEvent(x, &e); ok {
			// After the call's own event, of the same key: the
			// call's failure is not a failure after its request.
			*evs = append(*evs, req)
		}
		if s.onceShared(x) {
			// A sync.Once that outlives the run runs the function
			// literals it is given at most once, however often the
			// body runs: their writes are never repeated by a retry.
			s.visit(x.Fun, noFail, evs)
			for _, a := range x.Args {
				if _, lit := ast.Unparen(a).(*ast.FuncLit); !lit {
					s.visit(a, noFail, evs)
				}
			}
			return false
		}
	}
	return true
}

// onceShared reports whether c calls the Do method of a sync.Once that
// outlives the run (a package variable, a field of the receiver or of a
// parameter, or a *sync.Once taken from them) with function literals that
// make no call that can fail: such a function runs once per program or
// per value, so a retry of the body does not run it again. A sync.Once
// made in the body runs its function on every call; one whose function
// can fail keeps the failure (a dial's error stored for every later
// call), which a retry would find again instead of trying: their writes
// count as before.
func (s *fnState) onceShared(c *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(s.info, c).(*types.Func)
	if !ok || fn.Name() != "Do" || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	recv, _ := s.methodRecv(c, fn)
	if recv == nil {
		return false
	}
	if isPointer(s.info.TypeOf(recv)) {
		_, ok = s.sharedRef(recv)
	} else {
		_, ok = s.sharedLvalue(recv)
	}
	if !ok {
		return false
	}
	for _, a := range c.Args {
		lit, isLit := ast.Unparen(a).(*ast.FuncLit)
		if !isLit {
			continue
		}
		fails := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && !fails && s.fails(call) {
				fails = true
			}
			return !fails
		})
		if fails {
			return false
		}
	}
	return true
}

// write notes a write of state reached through r (what, at pos) and
// appends its event.
func (s *fnState) write(evs *[]event, r root, key, pos token.Pos, what string, lv []string) {
	s.note(r, what+" at "+s.r.where(pos), lv)
	*evs = append(*evs, event{key: key, pos: pos, what: what, lv: lv})
}

// builtinVerbs say what the builtins that write their first argument do.
var builtinVerbs = map[string]string{"delete": "deletes from", "clear": "clears", "close": "closes", "copy": "copies into"}

// call returns the event of one call: whether it can fail and what it
// writes (through a callee's Writes fact, or, for callees whose bodies
// are not analyzed, by what they are known to do).
func (s *fnState) call(c *ast.CallExpr, noFail bool) event {
	e := event{key: c.End(), pos: c.Pos(), fun: c.Fun, call: c}
	tv, known := s.info.Types[c.Fun]
	if known && tv.IsType() {
		return e // a conversion
	}
	callee := typeutil.Callee(s.info, c)
	if b, ok := callee.(*types.Builtin); ok {
		if verb, ok := builtinVerbs[b.Name()]; ok && len(c.Args) > 0 && !s.declaredPath(c.Args[0]) {
			if r, ok := s.sharedRef(c.Args[0]); ok {
				e.what = verb + " " + types.ExprString(c.Args[0])
				s.note(r, e.what+" at "+s.r.where(c.Pos()), nil)
			}
		}
		return e
	}
	fn, _ := callee.(*types.Func)
	e.fail = !noFail && s.failsAs(c, tv, known, fn)
	if fn == nil {
		// A function value: nothing is known of what it does but what
		// it is given. A stream passed to it (yaml.v3's emitter, which
		// holds the caller's io.Writer, passed to its write_handler) may
		// be read or written; a pointer to state may be written. A
		// function literal called on the spot is no such value: its
		// body is visited where it appears.
		if lit := s.calledLit(c.Fun); lit != nil {
			// A literal held in a local variable: what it does,
			// here (closures.go).
			s.litCall(c, lit, noFail, &e)
			return e
		}
		if fns := s.funcVarValues(c.Fun); len(fns) > 0 {
			// A local variable holding one of the package's functions
			// (genai's toConverter, set to the converter of the
			// client's backend): a call of one of them, judged as each
			// is; the first that has an effect, one that has it when
			// it fails first.
			var out event
			for _, f := range fns {
				fe := s.funcCall(c, f, e)
				if fe.what != "" && (out.what == "" || fe.self && !out.self) {
					out = fe
				}
			}
			if out.what != "" {
				return out
			}
			return e
		}
		if _, lit := ast.Unparen(c.Fun).(*ast.FuncLit); !lit {
			s.streamArgs(c, true, &e)
			if e.what == "" {
				s.dynamicCall(c, &e)
			}
			if e.what == "" {
				// A callback run per item (callbacks.go): after the
				// rules above, whose writes callers see in the fact.
				s.callbackCall(c, &e)
			}
		}
		return e
	}
	fn = fn.Origin()
	if s.r.memo[c] {
		// A memo store (memo.go), in a concurrent map or through a
		// LoadOrStore forwarder: no write, whatever the map's code or
		// the forwarder's own fact says it writes.
		return e
	}
	return s.funcCall(c, fn, e)
}

// funcCall fills e, the event of c, a call of fn (a function or method
// whose object is known), by what fn does: the rules of known clients
// (SQL, GraphQL, gorm, the OS), then its Writes fact or, for an opaque
// callee, the rules for those.
func (s *fnState) funcCall(c *ast.CallExpr, fn *types.Func, e event) event {
	if s.repeatableCall(c, fn) {
		// Meant to repeat on every attempt (a rate limiter's wait, a
		// metric, a log line): it can fail, but writes nothing a retry
		// must not repeat.
		return e
	}
	if s.sqlWrite(c, fn, &e) || s.gormWrite(c, fn, &e) || s.gqlWrite(c, fn, &e) || s.osEffect(c, fn, &e) {
		return e
	}
	if s.bodyRead(c, fn, &e) {
		return e
	}
	recvExpr, ptrRecv := s.methodRecv(c, fn)
	w, known := s.r.factOf(fn)
	if !known {
		s.opaqueCall(c, fn, recvExpr, ptrRecv, &e)
		if e.what != "" {
			return e
		}
		// An interface method of which the rules for opaque callees
		// found nothing: what its implementations in the interface's
		// package write of the caller's, if any (ifaceWrites).
		if w = s.r.ifaceWrites(fn); w == nil {
			s.cursorArgs(c, fn, &e)
			return e
		}
	}
	if w == nil {
		return e
	}
	e.sends, e.sendsEarly = w.Sends, w.SendsEarly
	// The callee's writes that reach this body's state, each named
	// by the callee's own statement; a stream's first (streamLeaf).
	var leaf, streamLeaf string
	var lv []string
	allLV := true
	through := func(r root, key string) {
		l := w.What[key]
		locs := w.LastValue[key]
		s.note(r, l, locs)
		if locs == nil {
			allLV = false
		}
		lv = append(lv, locs...)
		if leaf == "" {
			leaf = l
		}
		if sl := w.Streams[key]; sl != "" {
			s.noteStream(r, sl)
			if streamLeaf == "" {
				streamLeaf = sl
			}
		}
	}
	if w.Global {
		through(root{kind: rootGlobal}, "package")
	}
	if w.Recv && recvExpr != nil {
		if r, ok := s.passedRecv(recvExpr, ptrRecv); ok {
			through(r, "receiver")
		}
	}
	for i, arg := range c.Args {
		if p := paramIndex(fn, i); slices.Contains(w.Params, p) {
			if r, ok := s.passed(arg, false); ok {
				through(r, paramKey(p))
			}
		}
	}
	switch {
	case streamLeaf != "":
		// A stream the callee reads or writes, however deep: a
		// failed call has consumed or extended it if the callee
		// fails after it (Early), or anywhere, when a deferred
		// handler turns the callee's panics into this body's error.
		e.what = "calls " + e.callName() + " (which " + streamLeaf + ")"
		e.self = e.fail && (w.Early || s.panics(c))
		e.selfWhy = "a stream is not rewound, so a call that fails after reading or writing it cannot be repeated faithfully"
		e.stream = streamKind(streamLeaf)
	case leaf != "":
		e.what = "calls " + e.callName() + " (which " + leaf + ")"
		e.self = e.fail && w.Early
		e.selfWhy = "it has that effect before it can fail, so a failed call may have had it already and a retry would repeat it"
		if allLV {
			e.lv = lv
		}
	}
	if len(w.Queries) > 0 && !e.self {
		// SQL the callee runs as a query, given by this call.
		s.sqlQueryCall(c, fn, w, &e)
	}
	if len(w.Documents) > 0 && !e.self {
		// A GraphQL document the callee sends, given by this call.
		s.gqlDocCall(c, fn, w, &e)
	}
	if e.fail && w.Loop != "" {
		e.lv = nil
		if e.what == "" {
			e.what = "calls " + e.callName() + " (which " + w.Loop + ")"
		}
		e.self = true
		e.selfWhy = "a retry would restart its loop from the first iteration"
	}
	return e
}

// funcVarValues returns the functions a call through the local variable
// x may run: every value the package assigns it one to one is a function
// declared at package level (no method value, literal or call result),
// and it is assigned at least one; nil otherwise. Its address taken, or
// an assignment of another form (a tuple from a call), leaves it
// unknown.
func (s *fnState) funcVarValues(x ast.Expr) []*types.Func {
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := s.info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || s.r.addrTaken()[v] {
		return nil
	}
	if _, isParam := s.params[v]; isParam {
		return nil
	}
	values := s.r.localValues()[v]
	if len(values) == 0 || s.r.assignCounts()[v] != len(values) {
		return nil
	}
	var fns []*types.Func
	for _, rhs := range values {
		var obj types.Object
		switch rhs := ast.Unparen(rhs).(type) {
		case *ast.Ident:
			obj = s.info.Uses[rhs]
		case *ast.SelectorExpr:
			if _, isSel := s.info.Selections[rhs]; isSel {
				return nil // a method value or expression
			}
			obj = s.info.Uses[rhs.Sel]
		}
		f, ok := obj.(*types.Func)
		if !ok || f.Type().(*types.Signature).Recv() != nil {
			return nil
		}
		if !slices.Contains(fns, f.Origin()) {
			fns = append(fns, f.Origin())
		}
	}
	return fns
}

// ifaceImpls returns the methods implementing the interface method fn
// that are declared on the named types of the interface's own package
// (a type T or *T implementing the interface), in the order of the
// package's scope; nil when fn is no method of a (non-generic) interface.
func (r *runner) ifaceImpls(fn *types.Func) []*types.Func {
	if impls, ok := r.impls[fn]; ok {
		return impls
	}
	var impls []*types.Func
	defer func() { r.impls[fn] = impls }()
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil || fn.Pkg() == nil {
		return nil
	}
	iface, ok := recv.Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	if n, ok := types.Unalias(recv.Type()).(*types.Named); ok && n.TypeParams().Len() > 0 {
		return nil // a generic interface: Implements needs an instance
	}
	for _, m := range r.declaredMethods(fn.Pkg())[fn.Name()] {
		recv := m.Type().(*types.Signature).Recv().Type()
		n, _ := types.Unalias(derefType(recv)).(*types.Named)
		if n == nil {
			continue
		}
		// A method of T is in the method set of *T too, and a method
		// of *T only there.
		if types.Implements(types.NewPointer(n), iface) {
			impls = append(impls, m)
		}
	}
	return impls
}

// declaredMethods returns, by name, the methods declared on the named
// non-generic, non-interface types of pkg's scope, in the scope's order;
// built once per package (the candidates of ifaceImpls, so that it asks
// types.Implements only of types that have a method of the name).
// Promoted methods are not among them: an implementation through an
// embedded field is not seen.
func (r *runner) declaredMethods(pkg *types.Package) map[string][]*types.Func {
	if ms, ok := r.methodsByName[pkg]; ok {
		return ms
	}
	ms := map[string][]*types.Func{}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		n, ok := tn.Type().(*types.Named)
		if !ok || n.TypeParams().Len() > 0 || types.IsInterface(n) {
			continue
		}
		for i := range n.NumMethods() {
			m := n.Method(i)
			ms[m.Name()] = append(ms[m.Name()], m)
		}
	}
	r.methodsByName[pkg] = ms
	return ms
}

// derefType returns the element type of a pointer type, or t.
func derefType(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// ifaceWrites returns, for a call of the interface method fn, what its
// implementations in the interface's package (ifaceImpls) write that
// reaches the caller, as a Writes of the call (nil when nothing does):
//
//   - the streams they read or write through their receiver or
//     parameters: a call through the interface reaches the same stream as
//     a call of the implementation. amqp091-go's Delivery.Ack
//     acknowledges through the Acknowledger it holds, which the package's
//     Channel implements by writing a frame to the connection: a retry of
//     Channel.Ack is refused for that write, and a retry of Delivery.Ack
//     must be too;
//   - every write through their parameters: the caller's arguments are
//     the memory written. sentry-go's SyncTransport attached the pending
//     client report to the caller's envelope through ClientReportProvider,
//     whose Aggregator appends an item to the envelope it is given: a
//     retry of the send attached another to the same envelope.
//
// Other writes through the receiver are not taken: an implementation
// that only counts or caches is no reason to refuse every call of its
// interface, whose other implementations are not known. For this
// package's implementations their Writes so far (prepare makes each a
// callee of the callers of the interface method, so that the fixed point
// analyzes a caller again when they grow); for another package's, their
// Facts. A parameter is a last value (LastValue) only when every
// implementation writing it writes only last values through it.
func (r *runner) ifaceWrites(fn *types.Func) *Writes {
	var out *Writes
	notLV := map[string]bool{}
	for _, m := range r.ifaceImpls(fn) {
		var w *Writes
		if m.Pkg() == r.pass.Pkg {
			w = r.facts[m]
		} else {
			w = r.calleeFacts(m).writes
		}
		if w == nil {
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(w.What)) {
			p, isParam := strings.CutPrefix(key, "param ")
			stream := w.Streams[key]
			if !isParam && (key != "receiver" || stream == "") {
				continue
			}
			if out == nil {
				out = &Writes{What: map[string]string{}, Streams: map[string]string{}}
			}
			if isParam {
				i, err := strconv.Atoi(p)
				if err != nil {
					continue
				}
				if !slices.Contains(out.Params, i) {
					out.Params = append(out.Params, i)
				}
			} else {
				out.Recv = true
			}
			if stream != "" {
				if _, ok := out.Streams[key]; !ok {
					out.Streams[key] = stream
				}
				out.What[key] = out.Streams[key]
			} else if _, ok := out.What[key]; !ok {
				out.What[key] = w.What[key]
			}
			if locs := w.LastValue[key]; locs != nil && stream == "" && !notLV[key] {
				if out.LastValue == nil {
					out.LastValue = map[string][]string{}
				}
				for _, l := range locs {
					if !slices.Contains(out.LastValue[key], l) {
						out.LastValue[key] = append(out.LastValue[key], l)
					}
				}
			} else {
				notLV[key] = true
				delete(out.LastValue, key)
			}
			out.Early = out.Early || w.Early
		}
	}
	if out != nil {
		slices.Sort(out.Params)
	}
	return out
}

// opaqueCall fills e for a callee whose body is not analyzed (the
// standard library, interface methods, the resilience runtime): a stream
// method (Read..., Write..., Decode, Encode, Scan, Next, Token, Recv,
// Flush) called on a stream that outlives the run (a value whose type is
// or holds one, streamType) consumes or extends it;
// a method with a pointer receiver called on a field of such state
// changes that field, unless it only reads or locks; &x of such state, or
// a reader or writer held in it, passed as an argument is written or
// consumed; fmt.Print, Printf and Println write to os.Stdout.
func (s *fnState) opaqueCall(c *ast.CallExpr, fn *types.Func, recvExpr ast.Expr, ptrRecv bool, e *event) {
	if s.r.debugTrace(c, fn) {
		return
	}
	if fn.Pkg() != nil && fn.Pkg().Path() == "fmt" && (fn.Name() == "Print" || fn.Name() == "Printf" || fn.Name() == "Println") {
		e.what = "prints to os.Stdout with " + e.callName()
		s.noteStream(root{kind: rootGlobal}, e.what+" at "+s.r.where(c.Pos()))
		return
	}
	if recvExpr != nil {
		if kind := streamMethod(fn.Name()); kind != "" && (s.r.isStream(s.info.TypeOf(recvExpr)) || ptrRecv && cursorMethod(fn.Name())) && (kind != "writes to" || !s.declaredPath(recvExpr)) && !isEntropy(s.info, recvExpr) {
			if r, ok := s.passed(recvExpr, ptrRecv); ok {
				e.what = kind + " " + types.ExprString(recvExpr) + " (" + fn.Name() + ")"
				s.noteStream(r, e.what+" at "+s.r.where(c.Pos()))
				e.self = e.fail
				e.selfWhy = streamWhy
				e.stream = streamKind(e.what)
				if kind != "reads" {
					e.selfWhy = "a stream is not rewound, so a retry would not start from a clean output"
				}
				return
			}
		}
		if ptrRecv && !isPointer(s.info.TypeOf(recvExpr)) && !readOnly(fn) && !s.declaredPath(recvExpr) && !s.r.memo[c] {
			if len(c.Args) > 0 && isSyncMap(s.info.TypeOf(recvExpr)) {
				// An entry of a side table keyed by weak pointers:
				// its object's (weakkeys.go).
				if r, shared, weak := s.weakEntryWrite(c.Args[0]); weak {
					if shared {
						e.what = "changes the entry of " + types.ExprString(c.Args[0]) + " in " + types.ExprString(recvExpr) + " with " + fn.Name()
						s.note(r, e.what+" at "+s.r.where(c.Pos()), nil)
					}
					return
				}
			}
			if r, ok := s.sharedLvalue(recvExpr); ok {
				e.what = "changes " + types.ExprString(recvExpr) + " with " + fn.Name()
				s.note(r, e.what+" at "+s.r.where(c.Pos()), nil)
				return
			}
		}
	}
	for _, arg := range c.Args {
		if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
			if atomicLoad(fn) {
				continue // atomic.LoadInt32(&c.n) only reads
			}
			if r, ok := s.sharedLvalue(u.X); ok && !s.declaredPath(u.X) {
				e.what = "passes " + types.ExprString(arg) + " to " + e.callName() + ", which may write it"
				s.note(r, e.what+" at "+s.r.where(c.Pos()), nil)
				return
			}
		}
	}
	s.streamArgs(c, false, e)
}

// streamArgs fills e when c passes a stream that outlives the run: an
// io.Reader or io.Writer (other than io.Discard), or, with holders (the
// callee is a function value, whose code is unknown), any value holding a
// stream (streamType). An opaque function of the standard library is
// judged by what it is given as it is: a *http.Request passed to
// http.Client.Do holds its body, but Do is not a stream method of it.
func (s *fnState) streamArgs(c *ast.CallExpr, holders bool, e *event) {
	for _, arg := range c.Args {
		t := s.info.TypeOf(arg)
		if t == nil {
			continue
		}
		kind := ""
		switch io := s.r.ioKind(t); {
		case io&ioReader != 0 && io&ioWriter != 0:
			kind = "uses the stream"
		case io&ioReader != 0:
			kind = "reads"
		case io&ioWriter != 0:
			kind = "writes to"
		case holders && s.r.isStream(t):
			kind = "uses the stream held in"
		}
		if kind == "" || isDiscard(s.info, arg) || isEntropy(s.info, arg) || kind == "writes to" && s.declaredPath(arg) {
			continue
		}
		if r, ok := s.sharedRef(arg); ok {
			e.what = kind + " " + types.ExprString(arg) + " (passed to " + e.callName() + ")"
			s.noteStream(r, e.what+" at "+s.r.where(c.Pos()))
			e.self = e.fail
			e.selfWhy = "a stream is not rewound, so a retry would not repeat what this call did"
			e.stream = streamKind(e.what)
			return
		}
	}
}

// cursorArgs fills e when c, a call of the interface method fn whose
// code the tool cannot see (no implementation in the interface's package,
// outside the standard library: bun's Model.ScanRows, implemented in
// another package), is given a cursor that outlives the run (a value whose
// type has a pointer method Next() bool, such as a *sql.Rows parameter):
// the callee may advance it, and a retry would not read the same rows
// again.
func (s *fnState) cursorArgs(c *ast.CallExpr, fn *types.Func, e *event) {
	if fn.Pkg() == nil || s.r.inGOROOT(fn) || len(s.r.ifaceImpls(fn)) > 0 {
		return
	}
	if sig := fn.Signature(); sig.Recv() == nil || !types.IsInterface(sig.Recv().Type()) {
		return
	}
	for _, arg := range c.Args {
		if !cursorType(s.info.TypeOf(arg)) {
			continue
		}
		if r, ok := s.sharedRef(arg); ok {
			e.what = "reads " + types.ExprString(arg) + " (passed to " + e.callName() + ")"
			s.noteStream(r, e.what+" at "+s.r.where(c.Pos()))
			e.self = e.fail
			e.selfWhy = streamWhy
			e.stream = "reads"
			return
		}
	}
}

// cursorType reports whether t is a pointer to a named type with a
// method Next() bool: a cursor over results (database/sql's Rows).
func cursorType(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	if _, ok := types.Unalias(p.Elem()).(*types.Named); !ok {
		return false
	}
	sel := types.NewMethodSet(p).Lookup(nil, "Next")
	if sel == nil {
		return false
	}
	sig, ok := sel.Type().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), types.Typ[types.Bool])
}

// bodyRead fills e when c gives a request constructor that reads its body
// (targets.BodyArg: go-retryablehttp's NewRequest buffers a plain
// io.Reader whole) a body of the caller's state that it may read
// (targets.ReadsBody: an interface{} or io.Reader parameter may hold a
// stream, whatever its static type says): a stream read, which a second
// attempt cannot repeat. The constructor's own Writes fact does not say
// so: it reads through a type switch on an interface{}.
func (s *fnState) bodyRead(c *ast.CallExpr, fn *types.Func, e *event) bool {
	i := targets.BodyArg(fn)
	if i < 0 || i >= len(c.Args) || !targets.ReadsBody(s.info.TypeOf(c.Args[i])) {
		return false
	}
	arg := c.Args[i]
	r, ok := s.sharedRef(arg)
	if !ok {
		return false
	}
	e.what = "reads " + types.ExprString(arg) + " (passed to " + e.callName() + ", which reads a stream given as its body whole)"
	s.noteStream(r, e.what+" at "+s.r.where(c.Pos()))
	e.self = e.fail
	e.selfWhy = streamWhy
	e.stream = "reads"
	return true
}

// streamKind says what a stream effect, described as opaqueCall and
// streamArgs describe it ("reads c.dec (Decode)", "writes to w (passed
// to fmt.Fprintln)", "uses the stream held in em (passed to
// em.handler)"), does to the stream: "reads", "writes" or "uses".
func streamKind(what string) string {
	switch {
	case strings.HasPrefix(what, "reads "):
		return "reads"
	case strings.HasPrefix(what, "writes to "), strings.HasPrefix(what, "prints to "):
		return "writes"
	}
	return "uses"
}

// panics reports whether c is made after a deferred handler that turns
// panics into the error result: its callee may fail anywhere inside.
func (s *fnState) panics(c *ast.CallExpr) bool {
	return s.panicsFrom.IsValid() && c.Pos() > s.panicsFrom
}

// atomicLoad reports whether fn is one of sync/atomic's Load functions,
// which only read what their pointer argument points to.
func atomicLoad(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && strings.HasPrefix(fn.Name(), "Load")
}

// isDiscard reports whether e is io.Discard (or io/ioutil.Discard, the
// same writer): writing to it (io.Copy(io.Discard, resp.Body) to drain a
// response) changes nothing that outlives an attempt.
func isDiscard(info *types.Info, e ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.Ident:
		id = x
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && (v.Pkg().Path() == "io" || v.Pkg().Path() == "io/ioutil") && v.Name() == "Discard"
}

// passed reports whether passing e (as a receiver: its address, when the
// method has a pointer receiver and e is not a pointer) gives the callee
// access to state that outlives the run.
func (s *fnState) passed(e ast.Expr, ptrRecv bool) (root, bool) {
	if ptrRecv && !isPointer(s.info.TypeOf(e)) {
		return s.sharedLvalue(e)
	}
	return s.sharedRef(e)
}

// passedRecv is passed for the receiver e of a method call: besides,
// a struct value receiver is a copy, but what its references point to is
// not, so the callee's Writes through it are writes through the
// pointers, maps, slices, channels and interfaces it holds (amqp091-go's
// Delivery, handed to a caller's method, holds the Channel that
// Delivery.Ack writes a frame to), shared when the struct comes from the
// receiver, a parameter or a package variable. (Struct arguments are left
// to passed: widening them too refused fixes whose write repeats the same
// value, such as amqp091-go's DialConfig setting the ServerName of the
// tls.Config its Config points to.)
func (s *fnState) passedRecv(e ast.Expr, ptrRecv bool) (root, bool) {
	if r, ok := s.passed(e, ptrRecv); ok || ptrRecv {
		return r, ok
	}
	if _, ok := typeUnder[*types.Struct](s.info.TypeOf(e)); ok {
		r, _ := s.rootOf(e)
		return r, r.kind != rootNone
	}
	return root{}, false
}

// methodRecv returns the receiver expression of a method call (nil for
// other calls) and whether the method has a pointer receiver.
func (s *fnState) methodRecv(c *ast.CallExpr, fn *types.Func) (ast.Expr, bool) {
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	if selection, ok := s.info.Selections[sel]; !ok || selection.Kind() != types.MethodVal {
		return nil, false
	}
	recv := fn.Type().(*types.Signature).Recv()
	return sel.X, recv != nil && isPointer(recv.Type())
}

// paramIndex maps argument i of a call of fn to its parameter's index
// (the variadic parameter takes the rest).
func paramIndex(fn *types.Func, i int) int {
	sig := fn.Type().(*types.Signature)
	if n := sig.Params().Len(); sig.Variadic() && i >= n-1 {
		return n - 1
	}
	return i
}

// signal reports whether t is a channel of struct{}: a done or quit
// channel, whose receives observe a close rather than consume values.
func signal(t types.Type) bool {
	ch, ok := typeUnder[*types.Chan](t)
	if !ok {
		return false
	}
	st, ok := ch.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func typeUnder[T types.Type](t types.Type) (T, bool) {
	var zero T
	if t == nil {
		return zero, false
	}
	u, ok := t.Underlying().(T)
	return u, ok
}

// streamMethod says what a method of this name does to a stream: "reads"
// (Read..., Decode, Scan, Next, Token, RawToken, Recv), "writes to"
// (Write..., Encode, Flush) or "".
func streamMethod(name string) string {
	switch {
	case name == "ReadAt" || name == "WriteAt":
		return "" // positioned: does not move the stream
	case strings.HasPrefix(name, "Read"), name == "Decode", name == "Scan", name == "Next",
		name == "Token", name == "RawToken", name == "Recv":
		return "reads"
	case strings.HasPrefix(name, "Write"), name == "Encode", name == "Flush":
		return "writes to"
	}
	return ""
}

// cursorMethod reports whether a method of this name advances a cursor
// whatever it iterates (Next, Scan, Token, RawToken, Recv): with a pointer
// receiver, it consumes what it returns even from memory (a go/scanner
// Scanner, a reflect.MapIter), so it counts as reading a stream although
// the receiver holds none. The other stream methods (Read..., Write...,
// Decode, Encode, Flush) only do so on a stream: base64.Encoding's Encode
// writes into the slice it is given.
func cursorMethod(name string) bool {
	switch name {
	case "Next", "Scan", "Token", "RawToken", "Recv":
		return true
	}
	return false
}

// readOnly reports whether a pointer method of an opaque type only reads
// or locks its receiver: sync.Mutex and sync.RWMutex locking, sync.Once
// (its Do runs the function once however often it is called), atomic
// loads, and accessors named Load... (not sync.Map's LoadOrStore and
// LoadAndDelete, which write), Len, Cap, String, Bytes, Available, Size,
// Err, Wait.
func readOnly(fn *types.Func) bool {
	name := fn.Name()
	if fn.Pkg() != nil && fn.Pkg().Path() == "sync" {
		switch name {
		case "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock":
			return true
		case "Do":
			return true // sync.Once: runs its function once, however often called
		}
	}
	switch name {
	case "Len", "Cap", "String", "Bytes", "Available", "AvailableBuffer", "Size", "Err", "Wait", "Range":
		return true
	}
	// sync.Map's LoadOrStore and LoadAndDelete write.
	return strings.HasPrefix(name, "Load") && name != "LoadOrStore" && name != "LoadAndDelete"
}

// factOf returns what fn writes and whether that is known: for functions
// of this package, the fixed point so far; for functions of analyzed
// packages, their Writes fact (none: they write nothing). Functions of
// the standard library, of the resilience runtime and interface methods
// are not known: opaqueCall judges their calls.
func (r *runner) factOf(fn *types.Func) (*Writes, bool) {
	if fn.Pkg() == nil {
		return nil, false
	}
	if fn.Pkg() == r.pass.Pkg {
		if sig := fn.Type().(*types.Signature); sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
			return nil, false
		}
		return r.facts[fn], true
	}
	c := r.calleeFacts(fn)
	return c.writes, c.known
}

// importedFacts is what the Facts of a function of another package say:
// whether its body is analyzed (known: not opaque), its Writes (nil: it
// writes nothing) and the locations of its Reads.
type importedFacts struct {
	known  bool
	writes *Writes
	reads  []string
}

// calleeFacts returns fn's importedFacts, fn being of another package.
// They are read once per function (they do not change while the package
// is analyzed): every call of fn asks for them, in prepare (its Reads)
// and in each analysis of the caller (its Writes). The Writes returned
// is shared: it is not to be changed.
func (r *runner) calleeFacts(fn *types.Func) *importedFacts {
	if c, ok := r.imported[fn]; ok {
		return c
	}
	c := &importedFacts{}
	if !r.opaque(fn) {
		c.known = true
		if w := new(Writes); r.pass.ImportObjectFact(fn, w) {
			c.writes = w
		}
		if f := new(Reads); r.pass.ImportObjectFact(fn, f) {
			c.reads = f.Locations
		}
	}
	r.imported[fn] = c
	return c
}

func (r *runner) opaque(fn *types.Func) bool {
	if targets.IsRuntimePackage(fn.Pkg().Path()) {
		return true // the driver does not analyze the runtime
	}
	if sig := fn.Type().(*types.Signature); sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
		return true
	}
	return r.inGOROOT(fn)
}

// inGOROOT reports whether fn is declared in the standard library
// (cached by package).
func (r *runner) inGOROOT(fn *types.Func) bool {
	in, ok := r.goroot[fn.Pkg()]
	if !ok {
		file := r.pass.Fset.Position(fn.Pos()).Filename
		in = strings.HasPrefix(file, "$GOROOT") ||
			build.Default.GOROOT != "" && strings.HasPrefix(file, filepath.Join(build.Default.GOROOT, "src")+string(filepath.Separator))
		r.goroot[fn.Pkg()] = in
	}
	return in
}
