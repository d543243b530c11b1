// Package reportiface is the shape of sentry-go's client reports: a
// transport attaches the pending report to the envelope it is about to
// send through the Provider interface, which the package's Aggregator
// implements by appending an item to the caller's envelope. A call
// through the interface writes the argument as a call of the
// implementation does.
package reportiface

import "encoding/json"

// Envelope is what a transport sends.
type Envelope struct {
	Items map[string][]byte
}

// AddItem adds an item.
func (e *Envelope) AddItem(name string, b []byte) { // want AddItem:`writes receiver`
	e.Items[name] = b
}

// Provider attaches what is pending to an envelope.
type Provider interface {
	AttachTo(env *Envelope)
}

// Aggregator counts lost events and reports them on the next envelope.
type Aggregator struct {
	lost map[string]int
}

// AttachTo appends the pending report to env and clears it.
func (a *Aggregator) AttachTo(env *Envelope) { // want AttachTo:`writes receiver, param 0`
	if len(a.lost) == 0 {
		return
	}
	b, err := json.Marshal(a.lost)
	if err != nil {
		return
	}
	clear(a.lost)
	env.AddItem("report", b)
}

// noop attaches nothing.
type noop struct{}

func (noop) AttachTo(*Envelope) {}

// Recorder records lost events; its implementation here writes only its
// own state, so a call through it writes nothing of the caller's.
type Recorder interface {
	Record(env *Envelope)
}

// Record counts env's items as lost.
func (a *Aggregator) Record(env *Envelope) { // want Record:`writes receiver`
	a.lost["network_error"] += len(env.Items)
}
