package intelligence

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"
)

type memoTestError struct{ msg string }

func (e *memoTestError) Error() string { return e.msg }

type otherMemoTestError struct{ msg string }

func (e *otherMemoTestError) Error() string { return e.msg }

// memoTestErrors are errors whose fingerprints the memo must not confuse:
// one message under several type chains, messages differing in one byte,
// a message longer than the memo keeps and one longer than the tracker's
// message limit, and an empty message.
func memoTestErrors() []error {
	long := "dial tcp 10.0.0.1:80: " + strings.Repeat("x", memoMsgLen)
	return []error{
		errors.New("dial tcp 10.0.0.12:5432: connect: connection refused"),
		&memoTestError{"dial tcp 10.0.0.12:5432: connect: connection refused"},
		&otherMemoTestError{"dial tcp 10.0.0.12:5432: connect: connection refused"},
		fmt.Errorf("load: %w", &memoTestError{"dial tcp 10.0.0.12:5432: connect: connection refused"}),
		errors.Join(&memoTestError{"a"}, &otherMemoTestError{"b"}),
		errors.Join(&otherMemoTestError{"a"}, &memoTestError{"b"}),
		errors.New("dial tcp 10.0.0.12:5432: connect: connection refusee"),
		errors.New("Dial tcp 10.0.0.12:5432: connect: connection refused"),
		&fs.PathError{Op: "open", Path: "/var/data/report.csv", Err: fs.ErrPermission},
		&fs.PathError{Op: "stat", Path: "/var/data/report.csv", Err: fs.ErrPermission},
		errors.New(long),
		errors.New(long[:memoMsgLen]),
		errors.New(strings.Repeat("word ", 400)), // over MaxMessageLen
		errors.New(""),
		nil,
	}
}

// TestMemoFingerprint checks that a fingerprint taken from the memo is the
// one computing it gives: the same id, and, once normalize fills it in,
// the same normalised message; and that an error fingerprinted twice in a
// row is found in the memo the second time, unless its message is empty or
// too long to keep.
func TestMemoFingerprint(t *testing.T) {
	tr := MustNew()
	maxLen := tr.cfg.limits.MaxMessageLen
	errs := memoTestErrors()
	ids := map[uint64]int{}
	for round := range 3 {
		for i, err := range errs {
			var want fingerprint
			want.compute(err, maxLen)
			for try := range 2 {
				fp := tr.fingerprint(err)
				if fp.id != want.id || fp.truncated != want.truncated {
					t.Errorf("round %d, error %d (%q), try %d: id %x truncated %v, want %x %v",
						round, i, fullErrorString(err), try, fp.id, fp.truncated, want.id, want.truncated)
				}
				hit := fp.msg == nil
				cacheable := len(fp.raw) > 0 && len(fp.raw) <= memoMsgLen
				if try == 1 && hit != cacheable {
					t.Errorf("error %d (%d bytes), second try: memo hit %v, want %v", i, len(fp.raw), hit, cacheable)
				}
				fp.normalize()
				if string(*fp.msg) != string(*want.msg) || fp.id != want.id {
					t.Errorf("error %d: normalised %q (id %x), want %q (id %x)", i, *fp.msg, fp.id, *want.msg, want.id)
				}
				fp.release()
			}
			if round == 0 {
				ids[want.id]++
			}
			want.release()
		}
	}
	if len(ids) != len(errs) {
		t.Errorf("%d distinct ids for %d errors that differ in type chain or message", len(ids), len(errs))
	}
}

// TestMemoPatternRecreated checks that a pattern dropped from the store
// while its id is still in the memo is recreated with its normalised
// message, not an empty one.
func TestMemoPatternRecreated(t *testing.T) {
	tr := MustNew()
	op := Op{Agent: "a", Worker: "w", Operation: "Run"}
	err := fmt.Errorf("load batch 42: %w", &memoTestError{"dial tcp 10.0.0.12:5432: connect: connection refused"})
	tr.TrackError(op, err, time.Millisecond)
	tr.pats.mu.Lock()
	clear(tr.pats.m)
	tr.pats.mu.Unlock()
	tr.TrackError(op, err, time.Millisecond)
	ps := tr.Patterns()
	if len(ps) != 1 {
		t.Fatalf("%d patterns, want 1", len(ps))
	}
	if want := "load batch <num>: dial tcp <ip>: connect: connection refused"; ps[0].Message != want || ps[0].Count != 1 {
		t.Errorf("recreated pattern: message %q count %d, want %q 1", ps[0].Message, ps[0].Count, want)
	}
	if ps[0].ID != Fingerprint(err) {
		t.Errorf("recreated pattern id %s, want %s", ps[0].ID, Fingerprint(err))
	}
}

// TestMemoConcurrent fingerprints errors from several goroutines at once,
// more distinct messages than the memo holds, so that entries are
// replaced while others read them (run with -race): every record lands in
// the pattern Fingerprint names.
func TestMemoConcurrent(t *testing.T) {
	tr := MustNew()
	op := Op{Agent: "a", Worker: "w", Operation: "Run"}
	errs := memoTestErrors()
	for i := range 2 * memoSets * memoWays {
		errs = append(errs, &memoTestError{fmt.Sprintf("batch %d of %x failed", i, i*7919)})
	}
	const goroutines, rounds = 8, 20
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				for i := range errs {
					tr.TrackError(op, errs[(i+g*r)%len(errs)], time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	want := map[string]uint64{}
	for _, err := range errs {
		want[Fingerprint(err)] += goroutines * rounds
	}
	got := map[string]uint64{}
	for _, p := range tr.Patterns() {
		got[p.ID] = p.Count
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("pattern %s counted %d, want %d", id, got[id], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d patterns, want %d", len(got), len(want))
	}
}
