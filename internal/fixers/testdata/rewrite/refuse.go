package shapes

import (
	"context"
	"errors"
	"io"
)

// Agent is an agent.
type Agent struct{}

var errBad = errors.New("bad")

// Four returns three values besides the error.
func (a *Agent) Four(ctx context.Context) (int, int, int, error) {
	return 1, 2, 3, nil
}

// Upload consumes a reader.
func (a *Agent) Upload(ctx context.Context, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// GotoGuard jumps from a guard into the body.
func (a *Agent) GotoGuard(ctx context.Context, n int) error {
	if n < 0 {
		goto fail
	}
	return nil
fail:
	return errBad
}

// Hidden has a parameter hiding the error type.
func (a *Agent) Hidden(ctx context.Context, error string) (int, error) {
	return len(error), nil
}

// DeferGuard defers in a guard.
func (a *Agent) DeferGuard(ctx context.Context, n int) error {
	if n < 0 {
		defer println("x")
		return errBad
	}
	return nil
}

// Download writes to a one-shot output.
func (a *Agent) Download(ctx context.Context, w io.Writer) error {
	_, err := io.WriteString(w, "data")
	return err
}

// GuardSets sets a result in a guard that the body reads.
func (a *Agent) GuardSets(ctx context.Context, n int) (m int, err error) {
	if m = n * 2; m < 0 {
		return 0, errBad
	}
	return m + 1, ctx.Err()
}
