// Package flow solves the forward "must" data-flow problems of the
// coverage analyzers on a go/cfg control-flow graph: a fact holds at a
// point when it holds on every path from the function's entry to it.
package flow

import "golang.org/x/tools/go/cfg"

// Set is a set of facts, one bit each.
type Set uint32

// All is the set of every fact: the optimistic start of a must analysis.
const All = ^Set(0)

// Solve returns, indexed by cfg.Block.Index, the facts holding on entry
// to each live block: entry holds at the entry block; elsewhere, the
// intersection over live predecessors of transfer(pred, in(pred)).
// transfer must be monotone (a larger in gives a larger out). Dead
// blocks get 0.
func Solve(g *cfg.CFG, entry Set, transfer func(b *cfg.Block, in Set) Set) []Set {
	n := len(g.Blocks)
	in := make([]Set, n)
	preds := make([][]*cfg.Block, n)
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		in[b.Index] = All
		for _, s := range b.Succs {
			preds[s.Index] = append(preds[s.Index], b)
		}
	}
	if n == 0 {
		return in
	}
	in[0] = entry
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !b.Live {
				continue
			}
			s := All
			if b.Index == 0 {
				s = entry
			}
			for _, p := range preds[b.Index] {
				if p.Live {
					s &= transfer(p, in[p.Index])
				}
			}
			if s != in[b.Index] {
				in[b.Index] = s
				changed = true
			}
		}
	}
	return in
}
