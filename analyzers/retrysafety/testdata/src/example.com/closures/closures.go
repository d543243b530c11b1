// Package closures runs function literals held in local variables: what a
// literal does takes place where it is called (once, twice, deferred),
// not where it is written.
package closures

import (
	"context"
	"fmt"
	"net/http"
	"os"
)

// Uploader publishes files.
type Uploader struct {
	hc   *http.Client
	base string
	n    int
	tmp  string
}

func (u *Uploader) check(ctx context.Context) error {
	if ctx.Err() != nil {
		return fmt.Errorf("check: %w", ctx.Err())
	}
	return nil
}

// Publish checks, then sends the POST its literal makes: the request is
// the last call that can fail.
func (u *Uploader) Publish(ctx context.Context) error { // want Publish:"sends a request"
	send := func() error {
		resp, err := u.hc.Post(u.base+"/files", "text/plain", nil)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	if err := u.check(ctx); err != nil {
		return err
	}
	return send()
}

// PublishTwice sends the POST, checks, and sends it again: a retry after
// the check fails sends the first one again.
func (u *Uploader) PublishTwice(ctx context.Context) error { // want PublishTwice:"sends a request early"
	send := func() error {
		resp, err := u.hc.Post(u.base+"/files", "text/plain", nil)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	if err := send(); err != nil {
		return err
	}
	if err := u.check(ctx); err != nil {
		return err
	}
	return send()
}

// Cleanup removes the temporary file last.
func (u *Uploader) Cleanup(ctx context.Context) error { // want Cleanup:"writes package state"
	remove := func() error { return os.Remove(u.tmp) }
	if err := u.check(ctx); err != nil {
		return err
	}
	return remove()
}

// CleanupFirst removes the file, then checks: a retry removes it again.
func (u *Uploader) CleanupFirst(ctx context.Context) error { // want CleanupFirst:"writes package state; early"
	remove := func() error { return os.Remove(u.tmp) }
	if err := remove(); err != nil {
		return err
	}
	return u.check(ctx)
}

// Deferred counts the run when it returns, after the check.
func (u *Uploader) Deferred(ctx context.Context) error { // want Deferred:"writes receiver"
	mark := func() { u.n++ }
	defer mark()
	return u.check(ctx)
}

// Mark counts the run after the check has succeeded.
func (u *Uploader) Mark(ctx context.Context) error { // want Mark:"writes receiver"
	mark := func() { u.n++ }
	if err := u.check(ctx); err != nil {
		return err
	}
	mark()
	return nil
}

// MarkFirst counts the run before the check.
func (u *Uploader) MarkFirst(ctx context.Context) error { // want MarkFirst:"writes receiver; early"
	mark := func() { u.n++ }
	mark()
	return u.check(ctx)
}

// Step counts, then checks, in one literal called last: the call itself
// has the effect before it can fail.
func (u *Uploader) Step(ctx context.Context) error { // want Step:"writes receiver; early"
	step := func() error {
		u.n++
		return u.check(ctx)
	}
	return step()
}

// Captured counts, then checks in a literal that returns nothing: the
// check's error leaves it through a variable of the body.
func (u *Uploader) Captured(ctx context.Context) error { // want Captured:"writes receiver; early"
	var err error
	step := func() {
		u.n++
		err = u.check(ctx)
	}
	step()
	return err
}

// Handed gives its literal to another function: where it runs is not
// known, so its effects are judged where it is written.
func (u *Uploader) Handed(ctx context.Context) error { // want Handed:"writes receiver; early"
	mark := func() { u.n++ }
	run(mark)
	return u.check(ctx)
}

func run(f func()) { f() }

// Loop sends a POST per file through its literal: a retry sends the
// first ones again.
func (u *Uploader) Loop(ctx context.Context, files []string) error { // want Loop:"sends a request early"
	send := func(name string) error {
		resp, err := u.hc.Post(u.base+"/files/"+name, "text/plain", nil)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	for _, f := range files {
		if err := send(f); err != nil {
			return err
		}
	}
	return nil
}
