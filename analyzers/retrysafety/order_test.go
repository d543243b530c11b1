package retrysafety

import (
	"slices"
	"testing"
)

// TestCalleeOrder checks that calleeOrder puts callees before their
// callers, a cycle's members together in declaration order, and every
// declaration once.
func TestCalleeOrder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		callers [][]int // callers[j]: the declarations calling j
		want    []int
	}{
		{"none", nil, nil},
		{"unrelated", [][]int{nil, nil, nil}, []int{0, 1, 2}},
		// 0 calls 1, 1 calls 2: declared callers first.
		{"chain", [][]int{nil, {0}, {1}}, []int{2, 1, 0}},
		{"self", [][]int{{0}, {0}}, []int{1, 0}},
		// 0 and 2 call each other, and 1; 3 calls 0.
		{"cycle", [][]int{{2, 3}, {0, 2}, {0}, nil}, []int{1, 0, 2, 3}},
		// 0 calls 1 and 2, which both call 3.
		{"diamond", [][]int{nil, {0}, {0}, {1, 2}}, []int{3, 1, 2, 0}},
		// Two cycles, 3->4->3 called from the cycle 0->1->2->0.
		{"cycles", [][]int{{2}, {0}, {1}, {4, 2}, {3}}, []int{3, 4, 0, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := calleeOrder(tc.callers); !slices.Equal(got, tc.want) {
				t.Errorf("calleeOrder = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCalleeOrderChain checks a long chain of calls, which a recursive
// search would take as deep.
func TestCalleeOrderChain(t *testing.T) {
	const n = 100000
	callers := make([][]int, n)
	for j := 1; j < n; j++ {
		callers[j] = []int{j - 1} // j-1 calls j
	}
	got := calleeOrder(callers)
	for k, i := range got {
		if i != n-1-k {
			t.Fatalf("order[%d] = %d, want %d", k, i, n-1-k)
		}
	}
}
