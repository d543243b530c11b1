// Package refresher reproduces how sarama's client reaches its metadata
// retry: a retry by recursion through a local closure (tryRefresh calls
// retry(err), which calls tryRefresh again with one attempt fewer), kept
// in a function field directly, through a local variable, or through the
// method value a constructor builds from it (newSingle). Wrapping a
// caller would nest that retry.
package refresher

import (
	"errors"
	"net"
	"time"
)

func fetch(topics []string) error {
	c, err := net.Dial("tcp", "127.0.0.1:1")
	if err != nil {
		return err
	}
	return c.Close()
}

// tryRefresh retries by recursion through a local closure, counting its
// attempts down as sarama does (attemptsRemaining-- before the call).
func tryRefresh(topics []string, attemptsRemaining int) error { // want tryRefresh:"nests"
	retry := func(err error) error {
		if attemptsRemaining > 0 {
			time.Sleep(time.Millisecond)
			attemptsRemaining--
			return tryRefresh(topics, attemptsRemaining)
		}
		return err
	}
	if err := fetch(topics); err != nil {
		return retry(err)
	}
	return nil
}

// walk recurses through a local closure over other work (the children
// of a node): no retry.
func walk(names []string, depth int) error {
	visit := func(rest []string) error {
		if len(rest) == 0 {
			return nil
		}
		return walk(rest[1:], depth+1)
	}
	if depth > 3 {
		return errors.New("too deep")
	}
	return visit(names)
}

type refreshFunc func([]string) error

// Client refreshes its metadata on a cache miss.
type Client struct {
	refresh refreshFunc
	direct  refreshFunc
}

type single struct{ f func([]string) error }

// Refresh runs the function newSingle was handed, which the package's
// callers hand it: no fix.
func (s *single) Refresh(topics []string) error { return s.f(topics) } // want Refresh:"nests" `it calls tryRefresh \(stored in the function field s.f it calls\)`

// newSingle builds a single-flight refresher around f.
func newSingle(f func([]string) error) refreshFunc { return (&single{f: f}).Refresh }

// NewClient keeps the retry behind the method value newSingle builds, and
// behind a local variable set to a closure.
func NewClient() *Client { // want NewClient:"nests"
	r := func(topics []string) error { return tryRefresh(topics, 2) }
	return &Client{refresh: newSingle(r), direct: r}
}

// Lookup refreshes through the single-flight refresher: no fix.
func (c *Client) Lookup(topic string) error { // want Lookup:"nests" `it calls tryRefresh \(stored in the function field c.refresh it calls\), which already retries part of its work \(through the retry by recursion in refresher.tryRefresh\)`
	return c.refresh([]string{topic})
}

// LookupDirect refreshes through the closure itself: no fix.
func (c *Client) LookupDirect(topic string) error { // want LookupDirect:"nests" `it calls tryRefresh \(stored in the function field c.direct it calls\)`
	return c.direct([]string{topic})
}

// Refresh calls the retry directly: no fix.
func (c *Client) Refresh(topics []string) error { // want Refresh:"nests" `it calls tryRefresh, which already retries`
	return tryRefresh(topics, 2)
}

// Walk calls the walk, which retries nothing: it gets the fix.
func (c *Client) Walk(names []string) error { // want Walk:"unrouted" `^Client.Walk returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return walk(names, 0)
}
