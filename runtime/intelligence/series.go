package intelligence

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// shardCount spreads the operation index over independent copy-on-write
// maps, so that registering a new operation copies only a small map.
const shardCount = 32

// shard is one copy-on-write map from an Op hash to its series. Readers
// load the map atomically and never lock; writers (a new Op) copy it under
// mu. Operations are few and long-lived, so copies are rare.
type shard struct {
	mu sync.Mutex
	m  atomic.Pointer[map[uint64]*series]
	_  [48]byte // one shard per 64-byte cache line
}

// hotSlots is the size of the direct-mapped cache in front of the index.
const hotSlots = 256

// hotSlot picks op's cache slot from the names' lengths and a few of their
// bytes: far cheaper than hashing them, and good enough to spread the
// handful of operations a process runs; a collision only means the slower
// path through the index.
func hotSlot(op Op) uint {
	h := uint(len(op.Agent))*0x9e3779b9 ^ uint(len(op.Worker))<<7 ^ uint(len(op.Operation))<<13
	if n := len(op.Worker); n > 0 {
		h ^= uint(op.Worker[0])<<3 ^ uint(op.Worker[n-1])<<11 ^ uint(op.Worker[n/2])<<17
	}
	if n := len(op.Agent); n > 0 {
		h ^= uint(op.Agent[n-1]) << 5
	}
	h ^= h >> 16
	return (h ^ h>>8) % hotSlots
}

// lookup returns the series of op, creating it on first use. A known op
// is found in the hot cache (comparing the names, which costs a few
// pointer comparisons when the caller passes the same string constants
// each time) or else in the index: a hash, an atomic load and a map read.
// Neither path locks or allocates.
func (t *Tracker) lookup(op Op) *series {
	slot := &t.hot[hotSlot(op)]
	if s := slot.Load(); s != nil && s.op.same(&op) {
		return s
	}
	s := t.lookupIndex(op)
	// Slots are written once, so that two busy ops sharing a slot do not
	// keep rewriting one cache line from several cores.
	if s != t.overflowOp && slot.Load() == nil {
		slot.CompareAndSwap(nil, s)
	}
	return s
}

// same reports whether op and o name the same operation, comparing the
// worker first (the name that differs most often between operations).
func (op *Op) same(o *Op) bool {
	return sameName(op.Worker, o.Worker) && sameName(op.Operation, o.Operation) && sameName(op.Agent, o.Agent)
}

// sameName is a == b. Names of 8 to 16 bytes, the usual length of agent
// and worker names, are compared as two overlapping 8-byte words without
// calling the runtime's memequal: the hot cache compares three names on
// every lookup.
func sameName(a, b string) bool {
	n := len(a)
	if n != len(b) {
		return false
	}
	if n < 8 || n > 16 {
		return a == b
	}
	x := unsafe.Slice(unsafe.StringData(a), n)
	y := unsafe.Slice(unsafe.StringData(b), n)
	return binary.LittleEndian.Uint64(x) == binary.LittleEndian.Uint64(y) &&
		binary.LittleEndian.Uint64(x[n-8:]) == binary.LittleEndian.Uint64(y[n-8:])
}

// lookupIndex finds or creates op's series in the sharded index.
func (t *Tracker) lookupIndex(op Op) *series {
	h := t.hash(op)
	sh := &t.shards[h%shardCount]
	if m := sh.m.Load(); m != nil {
		for s := (*m)[h]; s != nil; s = s.next {
			if s.op == op {
				return s
			}
		}
	}
	return t.insert(sh, h, op)
}

func (t *Tracker) hash(op Op) uint64 {
	h := maphash.String(t.seed, op.Agent)
	h = h*31 ^ maphash.String(t.seed, op.Worker)
	return h*31 ^ maphash.String(t.seed, op.Operation)
}

func (t *Tracker) insert(sh *shard, h uint64, op Op) *series {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	old := sh.m.Load()
	if old != nil {
		for s := (*old)[h]; s != nil; s = s.next {
			if s.op == op {
				return s
			}
		}
	}
	// Shards insert concurrently: reserve a place under the limit
	// atomically so that it is never exceeded.
	for {
		n := t.nops.Load()
		if n >= int64(t.cfg.limits.MaxOps) {
			t.overflowOps.Add(1)
			return t.overflowOp
		}
		if t.nops.CompareAndSwap(n, n+1) {
			break
		}
	}
	// Clone the names: the caller's strings may be slices of large buffers.
	op = Op{Agent: strings.Clone(op.Agent), Worker: strings.Clone(op.Worker), Operation: strings.Clone(op.Operation)}
	var m map[uint64]*series
	if old == nil {
		m = make(map[uint64]*series, 1)
	} else {
		m = make(map[uint64]*series, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
	}
	s := newSeries(t, op)
	s.next = m[h]
	m[h] = s
	sh.m.Store(&m)
	return s
}

// forEachSeries calls f for every series, the overflow one included when it
// has records.
func (t *Tracker) forEachSeries(f func(*series)) {
	for i := range t.shards {
		m := t.shards[i].m.Load()
		if m == nil {
			continue
		}
		for _, s := range *m {
			for ; s != nil; s = s.next {
				f(s)
			}
		}
	}
	if t.overflowOp.runs() > 0 {
		f(t.overflowOp)
	}
}

// Time windows. Counts are kept in two rings of time buckets per series:
// minutes (windows up to one hour) and hours (windows up to three days).
const (
	minuteBuckets = 64
	hourBuckets   = 73
	minuteNanos   = int64(time.Minute)
	hourNanos     = int64(time.Hour)
)

// A bucket word packs the bucket's epoch (its index in time, modulo 2^24)
// in the top 24 bits and its count in the low 40 bits, so that reusing a
// slot for a newer epoch is a single compare-and-swap and stale slots are
// recognised on read.
const (
	countBits = 40
	countMask = 1<<countBits - 1
	epochMask = 1<<(64-countBits) - 1
)

// ringAdd counts one event at epoch in ring.
func ringAdd(ring []atomic.Uint64, epoch uint64) {
	ringAddN(ring, epoch, 1)
}

// ringAddN counts n events at epoch in ring.
func ringAddN(ring []atomic.Uint64, epoch, n uint64) {
	w := &ring[epoch%uint64(len(ring))]
	tag := (epoch & epochMask) << countBits
	for {
		old := w.Load()
		if old&^countMask == tag {
			if old&countMask <= countMask-n { // saturate rather than spill into the epoch
				w.Add(n)
			}
			return
		}
		if newer(old, epoch) {
			// The slot holds a newer epoch: the clock went back by a whole
			// ring. Drop the event from the window counts (lifetime counts
			// still have it) rather than erase newer data.
			return
		}
		if w.CompareAndSwap(old, tag|min(n, countMask)) {
			return
		}
	}
}

// newer reports whether bucket word w holds an epoch after epoch.
func newer(w, epoch uint64) bool {
	return w != 0 && ((w>>countBits)-(epoch&epochMask))&epochMask < 1<<23
}

// fullEpoch returns the latest epoch at or before cur whose low bits are
// the bucket word w's epoch.
func fullEpoch(cur, w uint64) uint64 {
	return cur - ((cur&epochMask)-(w>>countBits))&epochMask
}

// rollAdd counts one event at minute m in a series' minute ring. A minute
// slot being reused for a new minute first moves its old count into the
// hour ring: each minute's count is in exactly one of the two rings, and
// the hot path updates one ring instead of two.
func rollAdd(minutes, hours []atomic.Uint64, m uint64) {
	rollAddN(minutes, hours, m, 1)
}

// foldedTotals returns copies of the series' minute and hour run rings
// with every extra stripe's minute slots folded in: what one unstriped
// series would hold, for code that reads the rings as a whole (saving
// state). curM is the current minute.
func (s *series) foldedTotals(curM uint64) (*[minuteBuckets]atomic.Uint64, *[hourBuckets]atomic.Uint64) {
	minutes, hours := new([minuteBuckets]atomic.Uint64), new([hourBuckets]atomic.Uint64)
	for i := range minutes {
		minutes[i].Store(s.minTotal[i].Load())
	}
	for i := range hours {
		hours[i].Store(s.hourTotal[i].Load())
	}
	if x := s.striped.Load(); x != nil {
		for k := range x {
			for i := range x[k].minTotal {
				if w := x[k].minTotal[i].Load(); w&countMask != 0 {
					rollAddN(minutes[:], hours[:], fullEpoch(curM, w), w&countMask)
				}
			}
		}
	}
	return minutes, hours
}

// rollAddN is rollAdd counting n events (folding stripes counts many).
func rollAddN(minutes, hours []atomic.Uint64, m, n uint64) {
	w := &minutes[m%uint64(len(minutes))]
	tag := (m & epochMask) << countBits
	for {
		old := w.Load()
		if old&^countMask == tag {
			if old&countMask <= countMask-n {
				w.Add(n)
			}
			return
		}
		if newer(old, m) {
			ringAddN(hours, m/60, n)
			return
		}
		if w.CompareAndSwap(old, tag|min(n, countMask)) {
			if c := old & countMask; c > 0 {
				ringAddN(hours, fullEpoch(m, old)/60, c)
			}
			return
		}
	}
}

// rolledSum returns the count of the n hours ending at hour curH, from
// the hour ring and from the minute slots not yet moved into it.
func rolledSum(minutes, hours []atomic.Uint64, curM uint64, n int) uint64 {
	return ringSum(hours, curM/60, n) + unrolled(minutes, curM, n)
}

// unrolled returns the counts of the minute slots, not yet moved into the
// hour ring, that fall in the n hours ending at minute curM's hour.
func unrolled(minutes []atomic.Uint64, curM uint64, n int) uint64 {
	curH := curM / 60
	var sum uint64
	for i := range minutes {
		w := minutes[i].Load()
		if w&countMask == 0 {
			continue
		}
		e := fullEpoch(curM, w)
		if h := e / 60; h <= curH && curH-h < uint64(n) {
			sum += w & countMask
		}
	}
	return sum
}

// ringSum returns the count of the last n buckets ending at epoch cur.
func ringSum(ring []atomic.Uint64, cur uint64, n int) uint64 {
	n = min(n, len(ring))
	var sum uint64
	for j := range uint64(n) {
		if j > cur {
			break
		}
		e := cur - j
		w := ring[e%uint64(len(ring))].Load()
		if w>>countBits == e&epochMask {
			sum += w & countMask
		}
	}
	return sum
}

// Latency histogram: log-linear buckets, four per power of two, from 1µs
// to 2^48 ns (about 78 hours, so that batch workers' runs are measured). A
// percentile is reported as its bucket's upper bound, at most 25% above
// the true value; runs longer than the range are counted in
// Latency.AboveRange and their percentiles read as the range's top.
const (
	histMinShift = 10 // values below 2^10 ns (~1µs) share bucket 0
	histMaxShift = 48 // values of 2^48 ns (~78h) and above share the last bucket
	histSub      = 4
	histBuckets  = (histMaxShift-histMinShift)*histSub + 2
)

func histIndex(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < 1<<histMinShift {
		return 0
	}
	e := bits.Len64(v) - 1
	if e >= histMaxShift {
		return histBuckets - 1
	}
	sub := int(v>>(e-2)) & (histSub - 1)
	return (e-histMinShift)*histSub + sub + 1
}

// histUpper returns the upper bound of bucket i.
func histUpper(i int) time.Duration {
	if i == 0 {
		return 1 << histMinShift
	}
	if i >= histBuckets-1 {
		return 1 << histMaxShift
	}
	e := (i-1)/histSub + histMinShift
	sub := (i - 1) % histSub
	return time.Duration(uint64(histSub+sub+1) << (e - 2))
}

// series holds the counters of one Op. Every field is updated atomically.
//
// The fields are grouped by how they are written, so that the fields every
// call reads (the names, compared by the hot cache, and the two words the
// success path checks) share no cache line with a counter another core
// increments.
type series struct {
	// Read-mostly: written at creation, or rarely.
	op      Op
	owner   *Tracker
	next    *series                 // hash collision chain in the index
	striped atomic.Pointer[stripes] // set once the series is contended
	// salt picks which stripe each goroutine of a striped series writes
	// (see stripeOf); it changes when two goroutines running at once
	// turn out to write one stripe (see series.respread), rarely.
	salt atomic.Uint64
	// consecutive is written by failures and by the first success after
	// them; lastSuccess at most once per millisecond.
	consecutive atomic.Int64
	lastSuccess atomic.Int64 // Unix ns
	_           [64]byte

	// ctxs caches the contexts Track passed to its function, per stripe
	// index, so that Track on a context it has seen allocates nothing
	// (see series.context). Read by every Track, written on a miss.
	ctxs [stripeCount]atomic.Pointer[trackCtx]
	_    [64]byte

	// The run counters of successes: stripe 0 of stripeCount (see stripe).
	stripe

	// Failure counters: failures are rarer and take a lock on the pattern
	// path anyway, so they are not striped.
	errors    atomic.Uint64
	lastError atomic.Int64
	minErr    [minuteBuckets]atomic.Uint64
	hourErr   [hourBuckets]atomic.Uint64
	// hourTotal receives the minute counts of every stripe as their slots
	// are reused (once a minute per slot: rare enough to share).
	hourTotal [hourBuckets]atomic.Uint64

	retry retryCounters
}

// stripe holds the counters every run updates: the latency histogram,
// which is also the run count, and the runs per minute. A series has one;
// a contended series gets stripeCount-1 more, and each goroutine updates
// the stripe its stack address picks (see stripeOf), so that goroutines
// recording one operation on different cores do not write the same cache
// lines. Readers add the stripes up.
type stripe struct {
	// writer is the stack key (see stackKey) of the goroutine that
	// recorded on this stripe last, and writerAt the time of that record;
	// contention counts the records of another goroutine that followed
	// within contendedWithin. All three are written only when the
	// recording goroutine changes: a goroutine alone on its stripe only
	// reads writer, in a cache line it writes anyway.
	writer     atomic.Uint64
	writerAt   atomic.Int64
	contention atomic.Uint32
	latency    [histBuckets]atomic.Uint64
	minTotal   [minuteBuckets]atomic.Uint64
	_          [64]byte // no cache line shared with the next stripe
}

// stripes are a contended series' extra stripes, 1 to stripeCount-1.
type stripes [stripeCount - 1]stripe

const (
	// A contended series has stripeCount stripes, a power of two.
	stripeBits  = 3
	stripeCount = 1 << stripeBits
	// stripeAfter is the number of contended records after which a series
	// is striped: a burst, not the occasional collision of two requests.
	stripeAfter = 64
	// respreadAfter is the number of contended records on one stripe of a
	// striped series after which its goroutines are spread anew: two
	// goroutines whose stack keys picked the same stripe (one time in
	// eight for two goroutines) would otherwise share its cache lines for
	// as long as they run.
	respreadAfter = 64
	// contendedWithin is how soon after another goroutine's record a
	// record counts as contended: goroutines recording one operation this
	// close together are running at once, on different cores, and write
	// the same cache lines.
	contendedWithin = 2 * int64(time.Microsecond)
	// maxStriped bounds the series a tracker stripes, and so the memory
	// striping adds (about 12 KiB each, under 1 MiB in all).
	maxStriped = 64
)

// stackKey identifies the calling goroutine by its stack address:
// goroutine stacks are at least 2 KiB and distinct, so goroutines alive
// at once get distinct keys without any shared state. The address is only
// shifted, never dereferenced; a stack that moves merely gets another key.
// The key is never 0.
func stackKey() uint64 {
	var marker byte
	return uint64(uintptr(unsafe.Pointer(&marker))) >> 11
}

// stripeIndex picks a stripe index for the calling goroutine from its
// stack key alone (Fibonacci hashing: the top bits of the product), for
// caches kept per goroutine (see series.context).
func stripeIndex() uint {
	return uint((stackKey() * 0x9e3779b97f4a7c15) >> (64 - stripeBits))
}

// stripeOf returns the stripe index of the goroutine of stack key k in a
// series of the given salt. The salt is mixed in between two
// multiplications, so that two keys on one stripe under one of the salts
// respread steps through (which differ in all their bits) are on one
// stripe under the next only about one time in eight (TestStripeOfSalts).
// Salts differing in their low bits alone would not do: keys that differ
// in their high bits would keep their distance.
func stripeOf(k, salt uint64) uint {
	h := (k*0x9e3779b97f4a7c15 ^ salt) * 0xbf58476d1ce4e5b9
	return uint(h >> (64 - stripeBits))
}

func newSeries(owner *Tracker, op Op) *series {
	return &series{op: op, owner: owner}
}

// stripeFor returns the stripe the calling goroutine updates, recording
// a success at now.
func (s *series) stripeFor(now int64) *stripe {
	return s.stripeForKey(stackKey(), now)
}

// stripeForKey is stripeFor for the goroutine of stack key k. An
// unstriped series has one stripe; it watches for contention (a record
// from another goroutine than the last one, within contendedWithin of it)
// and is striped after stripeAfter contended records. A striped series
// gives each goroutine the stripe stripeOf picks, and each stripe watches
// for contention the same way: after respreadAfter contended records on
// one stripe, the series is given a salt that sends its last two writers
// to different stripes.
func (s *series) stripeForKey(k uint64, now int64) *stripe {
	x := s.striped.Load()
	if x == nil {
		if s.writer.Load() != k {
			s.newWriter(&s.stripe, nil, k, now)
		}
		return &s.stripe
	}
	st := &s.stripe
	if i := stripeOf(k, s.salt.Load()); i != 0 {
		st = &x[i-1]
	}
	if st.writer.Load() != k {
		s.newWriter(st, x, k, now)
	}
	return st
}

// newWriter notes that the goroutine of key k records on st after
// another one, and counts the record as contended when the other's was
// less than contendedWithin before now: on an unstriped series (x nil)
// toward striping it, on a striped one toward spreading its goroutines
// anew.
func (s *series) newWriter(st *stripe, x *stripes, k uint64, now int64) {
	prev := st.writer.Load()
	if prev != 0 && now-st.writerAt.Load() < contendedWithin {
		n := st.contention.Add(1)
		switch {
		case x == nil:
			if n == stripeAfter {
				s.stripeOut()
			}
		case n%respreadAfter == 0:
			s.respread(k, prev)
		}
	}
	st.writer.Store(k)
	st.writerAt.Store(now)
}

// note counts a contended record on the unstriped series and stripes it
// after stripeAfter of them, as two goroutines' records close together
// do.
func (s *series) note() {
	if s.contention.Add(1) == stripeAfter {
		s.stripeOut()
	}
}

// stripeOut gives the series its extra stripes, within the tracker's
// maxStriped.
func (s *series) stripeOut() {
	if s.owner == nil || s.owner.striped.Add(1) > maxStriped {
		return
	}
	s.striped.CompareAndSwap(nil, new(stripes))
}

// respread changes the salt of a striped series so that the goroutines of
// keys a and b, found recording on one stripe at once, pick different
// stripes: the first of the next salts that parts them (of two distinct
// keys, 7 in 8 salts do). Every goroutine's stripe may change with the
// salt; counts stay where they were recorded, and readers add up every
// stripe.
func (s *series) respread(a, b uint64) {
	old := s.salt.Load()
	salt := old
	for range 64 {
		salt += 0x9e3779b97f4a7c15
		if stripeOf(a, salt) != stripeOf(b, salt) {
			s.salt.CompareAndSwap(old, salt) // lost to another respread: that one counts
			return
		}
	}
}

// eachStripe calls f for the series' stripes.
func (s *series) eachStripe(f func(*stripe)) {
	f(&s.stripe)
	if x := s.striped.Load(); x != nil {
		for i := range x {
			f(&x[i])
		}
	}
}

// The latency histogram doubles as the run count (runs is its sum), so a
// success costs two atomic updates: its histogram bucket and its minute.
// A failure counts its run before its error, and readers load errors
// before runs, so that they never see more errors than runs.

func (s *series) success(now int64, d time.Duration) {
	st := s.stripeFor(now)
	st.latency[histIndex(d)].Add(1)
	rollAdd(st.minTotal[:], s.hourTotal[:], uint64(now/minuteNanos))
	if s.consecutive.Load() != 0 {
		s.consecutive.Store(0)
	}
	// A store per call would make every success a full barrier on one
	// cache line; millisecond precision is enough for "last success".
	if now-s.lastSuccess.Load() >= int64(time.Millisecond) {
		s.lastSuccess.Store(now)
	}
}

func (s *series) failure(now int64, d time.Duration) {
	s.latency[histIndex(d)].Add(1)
	s.errors.Add(1)
	m := uint64(now / minuteNanos)
	rollAdd(s.minTotal[:], s.hourTotal[:], m)
	rollAdd(s.minErr[:], s.hourErr[:], m)
	s.consecutive.Add(1)
	s.lastError.Store(now)
}

// runs returns the number of runs recorded.
func (s *series) runs() uint64 {
	var n uint64
	s.eachStripe(func(st *stripe) {
		for i := range st.latency {
			n += st.latency[i].Load()
		}
	})
	return n
}

// addLatency adds the series' latency histogram, over every stripe, to
// hist and returns the runs it holds.
func (s *series) addLatency(hist *[histBuckets]uint64) (runs uint64) {
	s.eachStripe(func(st *stripe) {
		for i := range st.latency {
			n := st.latency[i].Load()
			hist[i] += n
			runs += n
		}
	})
	return runs
}

// window is a time window over which counts are read.
type window struct {
	name string
	d    time.Duration
}

// windowCounts returns the runs and errors of s in the window w ending at
// now. Windows up to an hour are read from minute buckets, longer ones from
// hour buckets; the current bucket is included, partially filled.
func (s *series) windowCounts(now int64, w time.Duration) (total, errs uint64) {
	// Errors are read before runs, like in aggregate.add.
	cur := uint64(now / minuteNanos)
	if w <= time.Hour {
		n := int((w + time.Minute - 1) / time.Minute)
		errs = ringSum(s.minErr[:], cur, n)
		s.eachStripe(func(st *stripe) { total += ringSum(st.minTotal[:], cur, n) })
		return total, errs
	}
	n := int((w + time.Hour - 1) / time.Hour)
	errs = rolledSum(s.minErr[:], s.hourErr[:], cur, n)
	return s.rolledTotal(cur, n), errs
}

// rolledTotal returns the runs of the n hours ending at minute curM's
// hour, from the hour ring and every stripe's minute slots not yet moved
// into it: rolledSum over a striped series.
func (s *series) rolledTotal(curM uint64, n int) uint64 {
	total := ringSum(s.hourTotal[:], curM/60, n)
	s.eachStripe(func(st *stripe) { total += unrolled(st.minTotal[:], curM, n) })
	return total
}

// retryCounters hold what RetryObserver learned about an Op's retries.
type retryCounters struct {
	calls          atomic.Uint64 // retried calls that finished (OnDone)
	attempts       atomic.Uint64
	retries        atomic.Uint64
	firstTry       atomic.Uint64 // succeeded at the first attempt
	recovered      atomic.Uint64 // succeeded after at least one retry
	exhausted      atomic.Uint64 // failed after using all attempts on transient errors
	permanent      atomic.Uint64 // stopped by a permanent error
	permanentLate  atomic.Uint64 // a permanent error after transient retries
	canceled       atomic.Uint64
	budgetDenied   atomic.Uint64
	maxElapsed     atomic.Uint64
	deadline       atomic.Uint64 // stopped early: the next delay would pass the caller's deadline
	panicked       atomic.Uint64 // fn panicked (or called runtime.Goexit)
	nested         atomic.Uint64
	attemptTimeout atomic.Uint64 // retried errors that were a deadline
	fallbacks      atomic.Uint64 // failures handed to a fallback
}
