// Package deferred has agent methods whose error is set by a deferred
// call (the gopkg.in/yaml.v3 style: work panics, a deferred handler
// recovers and assigns the named error result): they do work that can
// fail even though no call they make returns an error.
package deferred

import (
	"errors"
	"fmt"
	"io"
)

var ErrEmpty = errors.New("empty")

type Decoder struct{ src string }

func parse(s string) int {
	if s == "bad" {
		panic(fmt.Errorf("cannot parse %q", s))
	}
	return len(s)
}

func handleErr(err *error) {
	if v := recover(); v != nil {
		if e, ok := v.(error); ok {
			*err = e
			return
		}
		panic(v)
	}
}

// Decode's error comes from handleErr(&err), deferred.
func (d *Decoder) Decode() (err error) { // want Decode:"unrouted" `Decoder.Decode returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	defer handleErr(&err)
	parse(d.src)
	return nil
}

// Recovered's error is assigned by a deferred closure.
func (d *Decoder) Recovered() (err error) { // want Recovered:"unrouted" `Decoder.Recovered returns an error but is not routed`
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("recovered: %v", v)
		}
	}()
	parse(d.src)
	return nil
}

// Guarded validates before the handler is deferred: the guard's return is
// validation, the later one is not.
func (d *Decoder) Guarded() (err error) { // want Guarded:"unrouted" `Decoder.Guarded returns an error but is not routed`
	if d.src == "" {
		return ErrEmpty
	}
	defer handleErr(&err)
	parse(d.src)
	return nil
}

// Plain defers a call that does not touch the error: nothing can fail.
func (d *Decoder) Plain() (err error) { // want Plain:"validator"
	defer d.reset()
	parse(d.src)
	return nil
}

func (d *Decoder) reset() { d.src = "" }

// Stream is itself a stream: its Read and Close cannot run twice, and the
// refusal says so without the advice for one-shot parameters.
type Stream struct{ src io.ReadCloser }

func (s *Stream) Read(p []byte) (int, error) { // want `^Stream.Read returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it is the Read method of an io.Reader: .* \(a method that cannot run twice is not retried: retry its callers instead, or mark it //resilience:noretry <reason>\)$`
	return s.src.Read(p)
}

func (s *Stream) Close() error { // want `^Stream.Close returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it is the Close method of an io.Closer: .* \(a method that cannot run twice is not retried: retry its callers instead, or mark it //resilience:noretry <reason>\)$`
	return s.src.Close()
}

func wrap(err *error, what string) {
	if *err != nil {
		*err = fmt.Errorf("%s: %w", what, *err)
	}
}

// Check only validates: its deferred calls wrap an error it already has,
// they recover no panic, so it still does no work that can fail.
func (d *Decoder) Check() (err error) { // want Check:"validator"
	defer wrap(&err, "check")
	defer func() {
		if err != nil {
			err = fmt.Errorf("decoder: %w", err)
		}
	}()
	if d.src == "" {
		return ErrEmpty
	}
	return nil
}

var ErrClosed = errors.New("closed")

// Queue hands values to a goroutine over a channel, which Close closes.
type Queue struct {
	ch   chan string
	quit chan struct{}
}

// Send turns the panic of a send on a closed channel into ErrClosed, a
// sentinel (segmentio's analytics-go Client.Enqueue): whatever panicked,
// the error is the same, and no attempt gets past it, so the handler is
// validation, not work.
func (q *Queue) Send(v string) (err error) { // want Send:"validator"
	defer func() {
		if recover() != nil {
			err = ErrClosed
		}
	}()
	q.ch <- v
	return nil
}

// Stop does the same with an error built on the spot.
func (q *Queue) Stop() (err error) { // want Stop:"validator"
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("queue: %w", ErrClosed)
		}
	}()
	close(q.quit)
	return nil
}

// Wrapped passes on the error it had (err, the function's own): work.
func (q *Queue) Wrapped() (err error) { // want Wrapped:"unrouted" `Queue.Wrapped returns an error but is not routed`
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("queue: %w", err)
		}
	}()
	q.ch <- "x"
	return nil
}

// Kept takes the address of its error in the handler: work.
func (q *Queue) Kept() (err error) { // want Kept:"unrouted" `Queue.Kept returns an error but is not routed`
	defer func() {
		if v := recover(); v != nil {
			set(&err, v)
		}
	}()
	q.ch <- "x"
	return nil
}

func set(err *error, v any) { *err = fmt.Errorf("%v", v) }
