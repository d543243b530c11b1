// Package reportuser sends envelopes of package reportiface, attaching
// reports through the interface before the send.
package reportuser

import (
	"context"
	"errors"

	"example.com/reportiface"
)

// Transport sends envelopes.
type Transport struct {
	Provider reportiface.Provider
	Recorder reportiface.Recorder
}

func (t *Transport) post(ctx context.Context, env *reportiface.Envelope) error {
	if len(env.Items) == 0 {
		return errors.New("empty")
	}
	return ctx.Err()
}

// Send attaches the pending report to the caller's envelope, then sends
// it: unsafe, a retry would attach again to the same envelope.
func (t *Transport) Send(ctx context.Context, env *reportiface.Envelope) error { // want Send:`writes param 1; early`
	t.Provider.AttachTo(env)
	return t.post(ctx, env)
}

// SendCopy attaches to an envelope made here: safe.
func (t *Transport) SendCopy(ctx context.Context, event []byte) error {
	env := &reportiface.Envelope{Items: map[string][]byte{"event": event}}
	t.Provider.AttachTo(env)
	return t.post(ctx, env)
}

// SendRecorded records the envelope through an interface whose
// implementation writes only its own state: as before, safe.
func (t *Transport) SendRecorded(ctx context.Context, env *reportiface.Envelope) error {
	t.Recorder.Record(env)
	return t.post(ctx, env)
}

// SendAfter attaches after the send, which is its last call that can
// fail: safe.
func (t *Transport) SendAfter(ctx context.Context, env *reportiface.Envelope) error { // want SendAfter:`writes param 1`
	if err := t.post(ctx, env); err != nil {
		return err
	}
	t.Provider.AttachTo(env)
	return nil
}
