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

// collidingSalt returns the first salt under which stack keys a and b
// pick one stripe, of the salts respread steps through.
func collidingSalt(t *testing.T, a, b uint64) uint64 {
	t.Helper()
	for n := range uint64(1 << 16) {
		if salt := n * 0x9e3779b97f4a7c15; stripeOf(a, salt) == stripeOf(b, salt) {
			return salt
		}
	}
	t.Fatalf("keys %#x and %#x never share a stripe", a, b)
	return 0
}

// TestRespread starts two goroutines (two stack keys) recording one
// operation at once on one stripe, taking turns, for key pairs of
// neighbouring and of distant stacks: after respreadAfter contended
// records the series' salt parts them, and from then on neither the
// stripes nor the contention count change. It also starts them on one
// stripe of an unstriped series with the same stripeIndex hash, which
// the old detection (comparing stripe indexes) never noticed.
func TestRespread(t *testing.T) {
	const base = 0xc000_0000_0000 >> 11 // a heap-like stack page
	pairs := [][2]uint64{{base, base + 1}, {base, base + 2}, {base + 7, base + 8}, {base, base + 1<<20}, {1, 2}}
	for d := uint64(1); len(pairs) < 40; d += 3 {
		pairs = append(pairs, [2]uint64{base + 100*d, base + 100*d + d%5 + 1})
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano()
	for _, p := range pairs {
		a, b := p[0], p[1]
		s := newSeries(MustNew(), Op{Agent: "a", Worker: "W", Operation: "Run"})

		// Unstriped: both keys write stripe 0; contended records stripe the
		// series whatever their stripe indexes.
		for i := 0; s.striped.Load() == nil; i++ {
			if i > stripeAfter {
				t.Fatalf("keys %#x, %#x: not striped after %d records", a, b, i)
			}
			k := []uint64{a, b}[i%2]
			if s.stripeForKey(k, now) != &s.stripe {
				t.Fatalf("keys %#x, %#x: unstriped series gave another stripe than its own", a, b)
			}
		}

		// Striped, with a salt that puts both keys on one stripe.
		salt := collidingSalt(t, a, b)
		s.salt.Store(salt)
		if s.stripeForKey(a, now) != s.stripeForKey(b, now) {
			t.Fatalf("keys %#x, %#x: salt %#x does not put them on one stripe", a, b, salt)
		}
		var sa, sb *stripe
		for range respreadAfter + 1 {
			sa, sb = s.stripeForKey(a, now), s.stripeForKey(b, now)
		}
		if sa == sb {
			t.Fatalf("keys %#x, %#x: still on one stripe after %d contended records (salt %#x)", a, b, 2*respreadAfter, s.salt.Load())
		}
		if s.salt.Load() == salt {
			t.Errorf("keys %#x, %#x: salt unchanged", a, b)
		}
		contended := func() (n uint32) {
			s.eachStripe(func(st *stripe) { n += st.contention.Load() })
			return n
		}
		before, saltAfter := contended(), s.salt.Load()
		for range 10 * respreadAfter {
			if s.stripeForKey(a, now) != sa || s.stripeForKey(b, now) != sb {
				t.Fatalf("keys %#x, %#x: moved again once apart", a, b)
			}
		}
		if after := contended(); after != before || s.salt.Load() != saltAfter {
			t.Errorf("keys %#x, %#x apart: contention %d -> %d, salt %#x -> %#x", a, b, before, after, saltAfter, s.salt.Load())
		}
	}
}

// TestRespreadSpacedRecords checks that two goroutines taking turns on one
// stripe far apart in time (not running at once) are left there: only
// contention moves goroutines.
func TestRespreadSpacedRecords(t *testing.T) {
	s := newSeries(MustNew(), Op{Agent: "a", Worker: "W", Operation: "Run"})
	for range stripeAfter {
		s.note()
	}
	const a, b = 0x1800_0000, 0x1800_0001
	salt := collidingSalt(t, a, b)
	s.salt.Store(salt)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano()
	for range 4 * respreadAfter {
		s.stripeForKey(a, now)
		now += int64(time.Millisecond)
		s.stripeForKey(b, now)
		now += int64(time.Millisecond)
	}
	if s.salt.Load() != salt {
		t.Errorf("salt changed from %#x to %#x for records a millisecond apart", salt, s.salt.Load())
	}
}

// TestStripeOfSalts checks the property respread relies on: two keys on
// one stripe under one salt share a stripe under the next salts about one
// time in eight, for keys of neighbouring stacks (which differ in their
// low bits only) as for others.
func TestStripeOfSalts(t *testing.T) {
	const step = 0x9e3779b97f4a7c15 // respread's salt increment
	var pairs, again int
	for k := uint64(0x1800_0000); pairs < 20000; k += 13 {
		for _, d := range []uint64{1, 2, 3, 64, 1 << 12} {
			a, b := k, k+d
			for n := range uint64(8) {
				salt := n * step
				if stripeOf(a, salt) != stripeOf(b, salt) {
					continue
				}
				pairs++
				if stripeOf(a, salt+step) == stripeOf(b, salt+step) {
					again++
				}
			}
		}
	}
	f := float64(again) / float64(pairs)
	t.Logf("%d of %d colliding pairs collide again under the next salt (%.3f)", again, pairs, f)
	if f < 0.09 || f > 0.16 {
		t.Errorf("%d of %d colliding pairs collide again under the next salt (%.3f), want about 1/8", again, pairs, f)
	}
}

// TestRespreadGoroutines has two live goroutines take turns recording one
// operation through TrackSuccess, on a striped series whose salt is set
// so that their real stack keys (read from the writer word) share a
// stripe: after a few hundred turns each writes a stripe of its own. Run
// it with -race.
func TestRespreadGoroutines(t *testing.T) {
	clk := &fixedClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	tr := MustNew(WithClock(clk.now))
	op := Op{Agent: "a", Worker: "W", Operation: "Run"}
	s := tr.lookup(op)
	// Goroutine g records durations of its own histogram bucket, so that
	// the stripe it wrote is found by its counts.
	durations := [2]time.Duration{time.Millisecond, time.Second}
	stripeOfGoroutine := func(g int) (found *stripe) {
		s.eachStripe(func(st *stripe) {
			if st.latency[histIndex(durations[g])].Load() != 0 {
				found = st
			}
		})
		return found
	}
	clearCounts := func() {
		s.eachStripe(func(st *stripe) {
			for i := range st.latency {
				st.latency[i].Store(0)
			}
		})
	}
	turn, done := [2]chan struct{}{make(chan struct{}), make(chan struct{})}, make(chan struct{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for range turn[g] {
				tr.TrackSuccess(op, durations[g])
				done <- struct{}{}
			}
		})
	}
	defer func() {
		close(turn[0])
		close(turn[1])
		wg.Wait()
	}()
	record := func(g int) {
		turn[g] <- struct{}{}
		<-done
	}

	// Unstriped, each goroutine's record leaves its key in the writer word.
	record(0)
	ka := s.writer.Load()
	record(1)
	kb := s.writer.Load()
	if ka == kb || ka == 0 || kb == 0 {
		t.Fatalf("stack keys %#x and %#x, want two distinct keys", ka, kb)
	}
	s.stripeOut()
	s.salt.Store(collidingSalt(t, ka, kb))
	clearCounts()
	record(0)
	record(1)
	if a, b := stripeOfGoroutine(0), stripeOfGoroutine(1); a == nil || a != b {
		t.Fatalf("goroutines on stripes %p and %p after forcing one", a, b)
	}
	for range 2 * respreadAfter {
		record(0) // records at the same instant: contended
		record(1)
	}
	clearCounts()
	for range 10 {
		record(0)
		record(1)
	}
	a, b := stripeOfGoroutine(0), stripeOfGoroutine(1)
	if a == nil || b == nil || a == b {
		t.Errorf("after %d contended turns the goroutines write stripes %p and %p, want two", 2*respreadAfter, a, b)
	}
}
