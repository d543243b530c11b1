package intelligence

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"
)

// fixedClock is a clock tests move by hand.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestStripeIndex(t *testing.T) {
	seen := map[uint]bool{}
	var mu sync.Mutex
	var wg, ready sync.WaitGroup
	release := make(chan struct{})
	ready.Add(16)
	for range 16 {
		wg.Go(func() {
			// All 16 alive at once: a goroutine that has exited leaves its
			// stack to the next one started.
			ready.Done()
			<-release
			first := stripeIndex()
			for range 100 {
				if i := stripeIndex(); i != first {
					t.Errorf("stripe index moved from %d to %d on one goroutine", first, i)
					return
				}
			}
			if first >= stripeCount {
				t.Errorf("stripe index %d, want < %d", first, stripeCount)
			}
			mu.Lock()
			seen[first] = true
			mu.Unlock()
		})
	}
	ready.Wait()
	close(release)
	wg.Wait()
	// 16 goroutines all on one of 8 stripes: probability 8^-15.
	if len(seen) < 2 {
		t.Errorf("16 goroutines share stripe indexes %v, want them spread", seen)
	}
}

// TestStripedCounts feeds the same records to a series that is striped
// and to one that is not, from concurrent goroutines, across minutes and
// hours: health, windows and percentiles must agree exactly.
func TestStripedCounts(t *testing.T) {
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := &fixedClock{t: base}
	striped, plain := MustNew(WithClock(clk.now)), MustNew(WithClock(clk.now))
	op := Op{Agent: "a", Worker: "W", Operation: "Run"}
	s := striped.lookup(op)
	for range stripeAfter {
		s.note()
	}
	if s.striped.Load() == nil {
		t.Fatalf("series not striped after %d contended updates", stripeAfter)
	}
	errBoom := errors.New("boom")
	for phase := range 150 { // 150 phases 3 minutes apart: 7.5 hours
		var wg, ready sync.WaitGroup
		release := make(chan struct{})
		ready.Add(8)
		for g := range 8 {
			wg.Go(func() {
				ready.Done() // all alive at once, on distinct stacks
				<-release
				for i := range 20 {
					d := time.Duration(g*20+i+phase) * time.Millisecond
					for _, tr := range []*Tracker{striped, plain} {
						if (g+i+phase)%7 == 0 {
							tr.TrackError(op, errBoom, d)
						} else {
							tr.TrackSuccess(op, d)
						}
					}
				}
			})
		}
		ready.Wait()
		close(release)
		wg.Wait()
		clk.advance(3 * time.Minute)
	}
	var used int
	s.eachStripe(func(st *stripe) {
		for i := range st.latency {
			if st.latency[i].Load() != 0 {
				used++
				return
			}
		}
	})
	if used < 2 {
		t.Errorf("records went to %d stripe(s), want several: the test did not exercise striping", used)
	}
	got, want := striped.WorkerHealth(op.Agent, op.Worker), plain.WorkerHealth(op.Agent, op.Worker)
	if got.Runs != 150*8*20 || got.Runs != want.Runs || got.Errors != want.Errors {
		t.Errorf("striped runs/errors %d/%d, unstriped %d/%d, want %d runs", got.Runs, got.Errors, want.Runs, want.Errors, 150*8*20)
	}
	if got.Latency != want.Latency {
		t.Errorf("striped latency %+v, unstriped %+v", got.Latency, want.Latency)
	}
	now := striped.now()
	// The stripes folded into one pair of rings, as saving state reads
	// them, count what the unstriped series counts.
	curM := uint64(now / minuteNanos)
	minutes, hours := s.foldedTotals(curM)
	folded := &series{}
	for i := range minutes {
		folded.minTotal[i].Store(minutes[i].Load())
	}
	for i := range hours {
		folded.hourTotal[i].Store(hours[i].Load())
	}
	for _, w := range []time.Duration{5 * time.Minute, time.Hour, 6 * time.Hour, 72 * time.Hour} {
		gt, ge := s.windowCounts(now, w)
		pt, pe := plain.lookup(op).windowCounts(now, w)
		if gt != pt || ge != pe || gt == 0 {
			t.Errorf("window %v: striped %d runs %d errors, unstriped %d and %d", w, gt, ge, pt, pe)
		}
		if ft, _ := folded.windowCounts(now, w); ft != pt {
			t.Errorf("window %v: folded stripes count %d runs, unstriped %d", w, ft, pt)
		}
	}
}

// TestSaveStriped saves a striped series and restores it into a new
// tracker: the restored counts are the sum of the stripes.
func TestSaveStriped(t *testing.T) {
	clk := &fixedClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	tr := MustNew(WithClock(clk.now))
	op := Op{Agent: "a", Worker: "W", Operation: "Run"}
	s := tr.lookup(op)
	for range stripeAfter {
		s.note()
	}
	for phase := range 40 { // 40 phases 5 minutes apart: more than the minute ring
		var wg, ready sync.WaitGroup
		release := make(chan struct{})
		ready.Add(8)
		for g := range 8 {
			wg.Go(func() {
				ready.Done() // all alive at once, on distinct stacks
				<-release
				for i := range 10 {
					if (g+i+phase)%5 == 0 {
						tr.TrackError(op, errors.New("boom"), time.Millisecond)
					} else {
						tr.TrackSuccess(op, time.Duration(i+1)*time.Millisecond)
					}
				}
			})
		}
		ready.Wait()
		close(release)
		wg.Wait()
		clk.advance(5 * time.Minute)
	}
	var saved bytes.Buffer
	if err := tr.Save(&saved); err != nil {
		t.Fatal(err)
	}
	restored := MustNew(WithClock(clk.now))
	if err := restored.Restore(&saved); err != nil {
		t.Fatal(err)
	}
	got, want := restored.WorkerHealth(op.Agent, op.Worker), tr.WorkerHealth(op.Agent, op.Worker)
	if got.Runs != 40*8*10 || got.Runs != want.Runs || got.Errors != want.Errors || got.Latency != want.Latency {
		t.Errorf("restored runs %d errors %d latency %+v, saved %d, %d, %+v", got.Runs, got.Errors, got.Latency, want.Runs, want.Errors, want.Latency)
	}
	now := tr.now()
	for _, w := range []time.Duration{time.Hour, 6 * time.Hour, 72 * time.Hour} {
		gt, ge := restored.lookup(op).windowCounts(now, w)
		wt, we := s.windowCounts(now, w)
		if gt != wt || ge != we || gt == 0 {
			t.Errorf("window %v: restored %d runs %d errors, saved %d and %d", w, gt, ge, wt, we)
		}
	}
}

// TestStripeOnContention passes records of one operation round-robin
// between 4 live goroutines: records close together in time stripe the
// series, records a millisecond apart never do.
func TestStripeOnContention(t *testing.T) {
	for _, tt := range []struct {
		gap  time.Duration
		want bool
	}{{0, true}, {time.Microsecond, true}, {time.Millisecond, false}} {
		clk := &fixedClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		tr := MustNew(WithClock(clk.now))
		op := Op{Agent: "a", Worker: "W", Operation: "Run"}
		const goroutines, rounds = 4, 2 * stripeAfter
		turns := make([]chan struct{}, goroutines+1)
		for i := range turns {
			turns[i] = make(chan struct{})
		}
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for range rounds {
					<-turns[g]
					tr.TrackSuccess(op, time.Millisecond)
					clk.advance(tt.gap)
					turns[g+1] <- struct{}{}
				}
			})
		}
		for range rounds {
			turns[0] <- struct{}{}
			<-turns[goroutines]
		}
		wg.Wait()
		s := tr.lookup(op)
		if got := s.striped.Load() != nil; got != tt.want {
			t.Errorf("records %v apart from %d goroutines: striped %v, want %v (%d contended)", tt.gap, goroutines, got, tt.want, s.contention.Load())
		}
		if n := s.runs(); n != goroutines*rounds {
			t.Errorf("runs = %d, want %d", n, goroutines*rounds)
		}
	}
}

// TestSameName compares names of every length up to 40 that differ in
// one byte, at every position, with equal names held in other memory.
func TestSameName(t *testing.T) {
	for n := range 41 {
		a := make([]byte, n)
		for i := range a {
			a[i] = byte('a' + i%26)
		}
		if !sameName(string(a), string(a)) {
			t.Errorf("length %d: equal names differ", n)
		}
		for i := range n {
			b := append([]byte(nil), a...)
			b[i] ^= 0x20
			if sameName(string(a), string(b)) {
				t.Errorf("length %d: names differing at byte %d are the same", n, i)
			}
		}
		if n > 0 && sameName(string(a), string(a[:n-1])) {
			t.Errorf("length %d: a prefix is the same name", n)
		}
	}
}

// TestStripedLimit checks that a tracker stripes at most maxStriped series.
func TestStripedLimit(t *testing.T) {
	tr := MustNew()
	var striped int
	for i := range maxStriped + 5 {
		s := tr.lookup(Op{Agent: "a", Worker: "W", Operation: string(rune('A' + i))})
		for range stripeAfter + 10 {
			s.note()
		}
		if s.striped.Load() != nil {
			striped++
		}
	}
	if striped != maxStriped {
		t.Errorf("%d series striped, want the limit %d", striped, maxStriped)
	}
}
