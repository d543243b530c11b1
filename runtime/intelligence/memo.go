package intelligence

import (
	"hash/maphash"
	"sync"
)

// The fingerprint memo remembers the pattern ids of the errors a tracker
// saw last, keyed by their exact type chain and message, so that an error
// seen again (the same sentinel, the same refused address) skips Normalize
// and the hash of its normalised message, most of what fingerprinting
// costs. An id comes from the memo only when the type names and every byte
// of the message match: the result is the one computing it gives.
//
// It is a small set-associative cache: memoSets sets of memoWays entries,
// each set behind its own mutex (an error picks its set by the hash of its
// message, so that goroutines failing with different errors seldom share
// a lock), entries replaced round robin. Messages are copied into the
// entries' fixed buffers, so that neither a hit nor a miss allocates and
// the memo retains no caller's string; messages longer than memoMsgLen
// are not remembered. It is allocated with a tracker's first error, about
// 52 KiB.
const (
	memoSets   = 32
	memoWays   = 4
	memoMsgLen = 256
)

type fpMemo struct {
	seed maphash.Seed
	sets [memoSets]memoSet
}

type memoSet struct {
	mu   sync.Mutex
	next uint8
	e    [memoWays]memoEntry
	_    [64]byte // sets are locked independently: no shared cache line
}

type memoEntry struct {
	id uint64
	// types are the type names of the chain; they point into the
	// binary's type data, so keeping them copies no bytes.
	types  [maxChainTypes]string
	ntypes uint8
	n      uint16 // message length; 0 is an unused entry
	msg    [memoMsgLen]byte
}

func newMemo() *fpMemo {
	return &fpMemo{seed: maphash.MakeSeed()}
}

// set returns the set msg belongs to.
func (m *fpMemo) set(msg string) *memoSet {
	return &m.sets[maphash.String(m.seed, msg)%memoSets]
}

// matches reports whether e holds fp's type chain and message msg.
func (e *memoEntry) matches(fp *fingerprint, msg string) bool {
	if int(e.n) != len(msg) || int(e.ntypes) != fp.ntypes || string(e.msg[:e.n]) != msg {
		return false
	}
	for i := range fp.ntypes {
		if e.types[i] != fp.types[i] {
			return false
		}
	}
	return true
}

// get returns the id remembered for fp's type chain and message msg.
func (s *memoSet) get(fp *fingerprint, msg string) (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.e {
		if e := &s.e[i]; e.matches(fp, msg) {
			return e.id, true
		}
	}
	return 0, false
}

// put remembers fp's id for its type chain and message msg, unless it is
// there already (another goroutine computed it meanwhile) or msg is too
// long or empty.
func (s *memoSet) put(fp *fingerprint, msg string) {
	if len(msg) == 0 || len(msg) > memoMsgLen {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.e {
		if s.e[i].matches(fp, msg) {
			return
		}
	}
	e := &s.e[s.next%memoWays]
	s.next++
	e.id = fp.id
	e.types = fp.types
	e.ntypes = uint8(fp.ntypes)
	e.n = uint16(copy(e.msg[:], msg))
}
