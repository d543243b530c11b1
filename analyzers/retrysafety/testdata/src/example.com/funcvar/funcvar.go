// Package funcvar calls functions through local variables set to one of
// the package's functions (genai's toConverter, set to the converter of
// the client's backend): such a call runs one of them, and is judged by
// what they do, not as an unknown function given a value that holds a
// stream.
package funcvar

import (
	"context"
	"errors"
	"io"
)

type apiClient struct {
	body    io.Reader
	backend int
}

func toVertex(c *apiClient, m map[string]any) (map[string]any, error) {
	if c.backend != 1 {
		return nil, errors.New("not vertex")
	}
	return m, nil
}

func toMldev(c *apiClient, m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, errors.New("no parameters")
	}
	return m, nil
}

func drain(c *apiClient, m map[string]any) (map[string]any, error) { // want drain:"writes param 0"
	_, err := io.ReadAll(c.body)
	return m, err
}

func send(ctx context.Context) error { return ctx.Err() }

type Models struct{ c *apiClient }

// Generate converts with the backend's converter, then sends: both
// converters only read the client's settings.
func (m *Models) Generate(ctx context.Context, p map[string]any) error {
	var conv func(*apiClient, map[string]any) (map[string]any, error)
	if m.c.backend == 1 {
		conv = toVertex
	} else {
		conv = toMldev
	}
	if _, err := conv(m.c, p); err != nil {
		return err
	}
	return send(ctx)
}

// Drain may run drain, which reads the client's body.
func (m *Models) Drain(ctx context.Context, p map[string]any) error { // want Drain:"writes receiver \\(stream\\); early"
	conv := toMldev
	if m.c.backend == 2 {
		conv = drain
	}
	if _, err := conv(m.c, p); err != nil {
		return err
	}
	return send(ctx)
}

// Escaped hands its variable's address out: what it holds is unknown.
func (m *Models) Escaped(ctx context.Context, p map[string]any) error { // want Escaped:"writes receiver \\(stream\\); early"
	conv := toMldev
	pick(&conv)
	if _, err := conv(m.c, p); err != nil {
		return err
	}
	return send(ctx)
}

func pick(f *func(*apiClient, map[string]any) (map[string]any, error)) {}

// Given runs its caller's function: unknown.
func (m *Models) Given(ctx context.Context, conv func(*apiClient, map[string]any) (map[string]any, error)) error { // want Given:"writes receiver \\(stream\\); early"
	if _, err := conv(m.c, nil); err != nil {
		return err
	}
	return send(ctx)
}
