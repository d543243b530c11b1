// Package shapes reproduces, in small, how sarama's client reaches its
// metadata retry, one shape per type.
package shapes

import (
	"errors"
	"net"
)

var errDown = errors.New("down")

func fetch(topics []string) error {
	_, err := net.Dial("tcp", "127.0.0.1:1")
	return err
}

// tryRefresh retries by recursion through a local closure, as sarama's
// tryRefreshMetadata does.
func tryRefresh(topics []string, attemptsRemaining int) error {
	retry := func(err error) error {
		if attemptsRemaining > 0 {
			return tryRefresh(topics, attemptsRemaining-1)
		}
		return err
	}
	if err := fetch(topics); err != nil {
		return retry(err)
	}
	return nil
}

// Direct calls the recursive retry directly.
type Direct struct{}

// Lookup refreshes on a miss.
func (d *Direct) Lookup(topic string) error { return tryRefresh([]string{topic}, 2) }

type refreshFunc func([]string) error

// Closure keeps a local closure calling the retry in a func field.
type Closure struct{ refresh refreshFunc }

// NewClosure builds a Closure.
func NewClosure() *Closure {
	c := &Closure{}
	r := func(topics []string) error { return tryRefresh(topics, 2) }
	c.refresh = r
	return c
}

// Lookup refreshes on a miss.
func (c *Closure) Lookup(topic string) error { return c.refresh([]string{topic}) }

type single struct{ f func([]string) error }

func (s *single) Refresh(topics []string) error { return s.f(topics) }

func newSingle(f func([]string) error) refreshFunc { return (&single{f: f}).Refresh }

// Single keeps the method value of a single-flight refresher in a func field.
type Single struct{ refresh refreshFunc }

// NewSingle builds a Single.
func NewSingle() *Single {
	c := &Single{}
	r := func(topics []string) error { return tryRefresh(topics, 2) }
	c.refresh = newSingle(r)
	return c
}

// Lookup refreshes on a miss.
func (c *Single) Lookup(topic string) error { return c.refresh([]string{topic}) }

// Loop retries with a plain loop, for comparison.
type Loop struct{}

// Lookup refreshes on a miss.
func (l *Loop) Lookup(topic string) error {
	var err error
	for i := 0; i < 3; i++ {
		if err = fetch([]string{topic}); err == nil {
			return nil
		}
	}
	return err
}

func tryRefreshPlain(topics []string, attemptsRemaining int) error {
	if err := fetch(topics); err != nil {
		if attemptsRemaining > 0 {
			return tryRefreshPlain(topics, attemptsRemaining-1)
		}
		return err
	}
	return nil
}

// Plain calls a retry by plain recursion (no closure).
type Plain struct{}

// Lookup refreshes on a miss.
func (p *Plain) Lookup(topic string) error { return tryRefreshPlain([]string{topic}, 2) }

// ClosurePlain keeps a closure calling the plain recursion in a func field.
type ClosurePlain struct{ refresh refreshFunc }

// NewClosurePlain builds a ClosurePlain.
func NewClosurePlain() *ClosurePlain {
	c := &ClosurePlain{}
	c.refresh = func(topics []string) error { return tryRefreshPlain(topics, 2) }
	return c
}

// Lookup refreshes on a miss.
func (c *ClosurePlain) Lookup(topic string) error { return c.refresh([]string{topic}) }

// SinglePlain keeps the method value of a single-flight refresher over the plain recursion.
type SinglePlain struct{ refresh refreshFunc }

// NewSinglePlain builds a SinglePlain.
func NewSinglePlain() *SinglePlain {
	c := &SinglePlain{}
	c.refresh = newSingle(func(topics []string) error { return tryRefreshPlain(topics, 2) })
	return c
}

// Lookup refreshes on a miss.
func (c *SinglePlain) Lookup(topic string) error { return c.refresh([]string{topic}) }
