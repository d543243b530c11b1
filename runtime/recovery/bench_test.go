package recovery_test

import (
	"context"
	"errors"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// work is called through a variable so that no benchmark can inline it.
var work = func(context.Context) error { return nil }

var workValue = func(context.Context) (int, error) { return 1, nil }

var sink int

func BenchmarkDirect(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := work(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDo(b *testing.B) {
	ctx := context.Background()
	p := recovery.MustNewPolicy()
	b.ReportAllocs()
	for b.Loop() {
		if err := recovery.Do(ctx, p, work); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoDefault is the call the fixers write: a new Default()
// handle on every call, which must not allocate.
func BenchmarkDoDefault(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := recovery.Do(ctx, recovery.Default(), work); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDoClosure(b *testing.B) {
	ctx := context.Background()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		// A closure capturing a local, as the fixers write: it must stay
		// on the stack.
		if err := recovery.Do(ctx, nil, func(ctx context.Context) error {
			n++
			return work(ctx)
		}); err != nil {
			b.Fatal(err)
		}
	}
	sink = n
}

func BenchmarkDoValue(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		v, err := recovery.DoValue(ctx, nil, workValue)
		if err != nil {
			b.Fatal(err)
		}
		sink += v
	}
}

func BenchmarkDoObserverBudget(b *testing.B) {
	ctx := context.Background()
	p := recovery.MustNewPolicy(recovery.WithObserver(nopObserver{}), recovery.WithBudget(recovery.MustNewBudget(10, 0.1)))
	b.ReportAllocs()
	for b.Loop() {
		if err := recovery.Do(ctx, p, work); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoFailure measures the bookkeeping of a call that fails all
// three attempts, with a fake clock so that nothing sleeps: with the
// default classifier (a transient error) and with RetryAll (an unknown
// error, the peers' behaviour).
func BenchmarkDoFailure(b *testing.B) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		err  error
		opts []recovery.Option
	}{
		{"default", errBoom, nil},
		{"retry-all", errors.New("boom"), []recovery.Option{recovery.WithClassifier(recovery.RetryAll)}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			fail := func(context.Context) error { return tt.err }
			p := recovery.MustNewPolicy(append(tt.opts, recovery.WithClock(nopClock{}))...)
			b.ReportAllocs()
			for b.Loop() {
				if err := recovery.Do(ctx, p, fail); err != tt.err {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClassify is the default classifier on the failure path, for
// the error shapes of TestClassifyAllocatesNothing (the shape of a struct
// error type is found once and cached).
func BenchmarkClassify(b *testing.B) {
	for _, e := range classifyShapes() {
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				recovery.IsTransient(e.err)
			}
		})
	}
}

type nopObserver struct{}

func (nopObserver) OnAttempt(context.Context, recovery.AttemptInfo) {}
func (nopObserver) OnRetry(context.Context, recovery.RetryInfo)     {}
func (nopObserver) OnDone(context.Context, recovery.Outcome)        {}

var _ = recoverytest.NewClock
