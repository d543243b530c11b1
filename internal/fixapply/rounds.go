package fixapply

import (
	"fmt"
	"os"
)

// Rounds applies fixes until they settle. A fix can change another
// finding (wrapping a worker's body in Track makes the agent method that
// delegates to it do fallible work), so after each round the code is
// re-analyzed in memory, with the round's results in an overlay, and the
// new fixes are applied in turn until none changes anything: applying the
// result and running again then changes nothing.
type Rounds struct {
	// Max bounds the rounds; more is an *UnsettledError.
	Max int
	// Analyze re-analyzes the code with overlay (absolute file name ->
	// content replacing the file on disk) and returns the fixes of what
	// is left. Its error stops the rounds and is returned as it is.
	Analyze func(overlay map[string][]byte) ([]Fix, error)
	// Prepare, if set, is called once, after the first round, with that
	// round's plan; the changes it returns (go.mod and go.sum requiring
	// what the fixes import) join the overlay of every re-analysis and the
	// final plan. Its error is returned as it is.
	Prepare func(first *Plan) ([]FileChange, error)
}

// UnsettledError is fixes that still changed the code after Max rounds
// (each round's fixes made new findings).
type UnsettledError struct{ Rounds int }

func (e *UnsettledError) Error() string {
	return fmt.Sprintf("the fixes did not settle after %d rounds (each round's fixes made new findings)", e.Rounds)
}

// Run applies fixes (the first round's) and the fixes of each re-analysis,
// and returns the plan of every change from the files on disk. Nothing is
// written.
func (r Rounds) Run(fixes []Fix) (*Plan, error) {
	overlay := make(map[string][]byte)
	readFile := func(name string) ([]byte, error) {
		if b, ok := overlay[name]; ok {
			return b, nil
		}
		return os.ReadFile(name)
	}
	total := &Plan{}
	var prepared []FileChange
	for round := 1; len(fixes) > 0; round++ {
		if round > r.Max {
			return nil, &UnsettledError{Rounds: r.Max}
		}
		plan, err := NewPlan(fixes, readFile)
		if err != nil {
			return nil, err
		}
		if len(plan.Files) == 0 {
			break // the remaining fixes change nothing
		}
		total = Compose(total, plan)
		for _, f := range plan.Files {
			overlay[f.Name] = f.New
		}
		if round == 1 && r.Prepare != nil {
			if prepared, err = r.Prepare(plan); err != nil {
				return nil, err
			}
			for _, f := range prepared {
				overlay[f.Name] = f.New
			}
		}
		if fixes, err = r.Analyze(overlay); err != nil {
			return nil, err
		}
	}
	return Compose(total, &Plan{Files: prepared}), nil
}
