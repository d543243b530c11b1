package retryhelper // want package:"retrying impls logTransport.RoundTrip, retryTransport.RoundTrip"

import (
	"context"
	"time"

	"example.com/pollwait"
)

// prober's conditions are methods handed to a poll helper as method
// values, and probeAny a function handed by name: they are looked into as
// function literals are.
type prober struct {
	api API
	ctx context.Context
}

// reachable swallows every failure of Status into "not done".
func (p *prober) reachable() (bool, error) {
	if _, err := p.api.Status(p.ctx); err == nil {
		return true, nil
	}
	return false, nil
}

// ready waits for a state: a failure of Status ends the poll.
func (p *prober) ready() (bool, error) {
	st, err := p.api.Status(p.ctx)
	if err != nil {
		return false, err
	}
	return st.Ready, nil
}

// WaitReachableMethod polls a method value that retries Status: a retry.
func WaitReachableMethod(ctx context.Context, api API) error { // want WaitReachableMethod:"waits" WaitReachableMethod:`routed by its own retry at conds.go:\d+`
	p := &prober{api: api, ctx: ctx}
	return pollwait.PollImmediate(time.Second, time.Minute, p.reachable)
}

// WaitReadyMethod polls a method value that waits for a state: no retry.
func WaitReadyMethod(ctx context.Context, api API) error { // want WaitReadyMethod:"waits"
	p := &prober{api: api, ctx: ctx}
	return pollwait.PollImmediate(time.Second, time.Minute, p.ready)
}

var probed API

// probeAny swallows every failure of Status into "not done".
func probeAny() (bool, error) {
	if _, err := probed.Status(context.Background()); err != nil {
		return false, nil
	}
	return true, nil
}

// WaitAny polls a function handed by name that retries Status: a retry.
func WaitAny() error { // want WaitAny:"waits" WaitAny:`routed by its own retry at conds.go:\d+`
	return pollwait.PollImmediate(time.Second, time.Minute, probeAny)
}
