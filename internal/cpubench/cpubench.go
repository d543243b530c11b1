// Package cpubench runs benchmark loops that report, beside the wall
// clock, the CPU time their threads spent per iteration (cpu-ns/op).
//
// On a machine shared with other work the wall clock also counts the time
// a thread waited for a core; the CPU time does not, so ratios of CPU time
// measured side by side stay comparable when the load changes. Parallel
// stands in for testing.B.RunParallel, whose per-goroutine iteration
// counters can share a cache line and make goroutines that share nothing
// else contend. The runtime's benchmarks and the bench module's
// (Prometheus beside the runtime) use the same loops.
package cpubench

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// Loop runs f in b.Loop on a thread of its own and reports cpu-ns/op, the
// CPU time the thread spent per call, beside the wall-clock ns/op.
func Loop(b *testing.B, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, ok := ThreadCPU()
	for b.Loop() {
		f()
	}
	if end, _ := ThreadCPU(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// Parallel runs b.N iterations of body from GOMAXPROCS goroutines, each
// given its share up front: body(id, n) runs n iterations as goroutine
// id, keeping its state on its own stack. It stands in for b.RunParallel,
// whose per-goroutine iteration counter (a 32-byte testing.PB that Next
// writes on every iteration) is allocated next to the other goroutine's,
// in the same cache line about half the time: two goroutines that share
// nothing else then contend on every iteration, in some runs and not in
// others.
//
// It also reports cpu-ns/op, the CPU time the goroutines' threads spent
// per iteration: unlike the wall clock it does not grow when the machine
// has no free core for the second goroutine, and it grows when the
// goroutines, running at once, contend for a cache line (a core waiting
// for a line is busy). Two goroutines that share nothing cost as much CPU
// time per iteration as one.
func Parallel(b *testing.B, body func(id, n int)) {
	procs := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var cpu atomic.Int64
	var unmeasured atomic.Bool
	for id := range procs {
		n := b.N / procs
		if id < b.N%procs {
			n++
		}
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			start, ok := ThreadCPU()
			body(id, n)
			end, _ := ThreadCPU()
			cpu.Add(int64(end - start))
			if !ok {
				unmeasured.Store(true)
			}
		})
	}
	wg.Wait()
	if !unmeasured.Load() {
		b.ReportMetric(float64(cpu.Load())/float64(b.N), "cpu-ns/op")
	}
}
