// Package retryloop holds hand-rolled retry loops (and loops that are
// not retries): functions that retry on their own carry the RoutedFunc
// fact, with the line of their loop.
package retryloop

import (
	"context"
	"errors"
	"log"
	"os"
	"time"
)

// Fetch retries on every tick of a retry timer, as API clients do.
func Fetch(ctx context.Context, path string, retryTimer <-chan time.Time) ([]byte, error) { // want Fetch:"routed by its own retry at retryloop.go:17"
	var lastErr error
	for range retryTimer {
		b, err := os.ReadFile(path)
		if err != nil {
			lastErr = err
			continue
		}
		return b, nil
	}
	return nil, lastErr
}

// Sleepy counts its attempts and sleeps between them.
func Sleepy(path string) error { // want Sleepy:"waits" Sleepy:"routed by its own retry at retryloop.go:31"
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = os.Remove(path); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt) * time.Millisecond)
	}
	return err
}

// Attempts ranges over a number of attempts; the failure is checked with
// a condition on the error's kind too.
func Attempts(path string) (err error) { // want Attempts:"routed by its own retry at retryloop.go:43"
	for range 3 {
		err = os.Remove(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			continue
		}
		return err
	}
	return err
}

// Waits waits in a select on the context between attempts, through a
// helper of the package that waits.
func Waits(ctx context.Context, path string) error { // want Waits:"waits" Waits:"routed by its own retry at retryloop.go:56"
	for {
		err := os.Remove(path)
		if err == nil {
			return nil
		}
		if err := pause(ctx); err != nil {
			return err
		}
	}
}

func pause(ctx context.Context) error { // want pause:"waits"
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Millisecond):
		return nil
	}
}

// Each skips the items that fail: the work changes every iteration, so
// it is no retry.
func Each(paths []string) error { // want Each:"waits"
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			log.Print(err)
			time.Sleep(time.Millisecond)
			continue
		}
	}
	return os.Remove("done")
}

// Pages returns on the first failure: a loop over pages, no retry.
func Pages(ctx context.Context, next func(string) (string, error)) error {
	cursor := ""
	for range time.Tick(time.Millisecond) {
		c, err := next(cursor)
		if err != nil {
			return err
		}
		if c == "" {
			return nil
		}
		cursor = c
	}
	return nil
}

// Busy runs the work again at once, without waiting or bounding: no
// retry (a busy loop).
func Busy(path string) error {
	for {
		if err := os.Remove(path); err != nil {
			continue
		}
		return nil
	}
}

// Client retries inside a private helper.
type Client struct{ dir string }

func (c *Client) do(ctx context.Context, name string) ([]byte, error) { // want do:"routed by its own retry at retryloop.go:122"
	var b []byte
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		b, err = os.ReadFile(c.dir + name)
		if err == nil {
			break
		}
	}
	return b, err
}

// Get delegates to the helper: routed, by the helper's loop.
func (c *Client) Get(ctx context.Context, name string) ([]byte, error) { // want Get:"routed by its own retry at retryloop.go:122"
	return c.do(ctx, name)
}

// Lines handles each line, skipping those that fail: the condition calls
// Scan, so it counts no attempts, and nothing waits. No retry.
func Lines(s interface{ Scan() bool }, handle func() error) error {
	for s.Scan() {
		if err := handle(); err != nil {
			log.Print(err)
			continue
		}
	}
	return handle()
}

// Walk steps an index in its body: each iteration removes another path.
func Walk(paths []string) error {
	i := 0
	for i < len(paths) {
		if err := os.Remove(paths[i]); err != nil {
			log.Print(err)
		}
		i++
	}
	return os.Remove("done")
}

// attempts yields n attempts, sleeping between them: the iterator form of
// a retry timer (minio-go's newRetryTimer).
func attempts(n int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// Iterated retries over an iterator function and checks the caller's
// context after the loop: ctx.Err() is not work outside the retry.
func Iterated(ctx context.Context, path string) (b []byte, err error) { // want Iterated:"routed by its own retry at retryloop.go:176"
	for range attempts(3) {
		b, err = os.ReadFile(path)
		if err != nil {
			continue
		}
		break
	}
	if e := ctx.Err(); e != nil {
		return nil, e
	}
	return b, err
}

// Backoff runs operation until it succeeds or the retries are spent,
// deciding through a flag (go-resty's Backoff): a retry helper, routed by
// its own loop.
func Backoff(ctx context.Context, operation func() (int, error), retries int) error { // want Backoff:"waits" Backoff:"routed by its own retry at retryloop.go:194"
	var err error
	for attempt := 0; attempt <= retries; attempt++ {
		_, err = operation()
		needsRetry := err != nil && !errors.Is(err, os.ErrNotExist)
		if !needsRetry {
			return err
		}
		select {
		case <-time.After(time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// Stopped repeats on success and stops at the first failure, deciding
// through a flag: no retry.
func Stopped(path string) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = os.Remove(path)
		failed := err != nil
		if failed {
			return err
		}
	}
	return err
}

// ShortCircuit first gives up on one kind of failure, then retries every
// other one (cloudflare-go's request loop: if err != nil &&
// errors.Is(err, context.DeadlineExceeded) { return }, then if err != nil
// || status >= 500 { continue }): a retry loop.
func ShortCircuit(ctx context.Context, get func() (int, error), retries int) (int, error) { // want ShortCircuit:"waits" ShortCircuit:"routed by its own retry at retryloop.go:230"
	var status int
	var err error
	for i := 0; i <= retries; i++ {
		if i > 0 {
			select {
			case <-time.After(time.Millisecond):
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		status, err = get()
		if err != nil && errors.Is(err, context.DeadlineExceeded) {
			return 0, err
		}
		if err != nil || status >= 500 {
			continue
		}
		break
	}
	return status, err
}

// Either retries when the call fails or its result says so, in one
// condition: a retry loop.
func Either(get func() (int, error)) (int, error) { // want Either:"routed by its own retry at retryloop.go:255"
	var status int
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		status, err = get()
		if err != nil || status >= 500 {
			continue
		}
		return status, nil
	}
	return status, err
}

// Checked returns on every failure before a later check could see one:
// the later check never retries a failure. No retry.
func Checked(get func() (int, error)) (int, error) {
	var status int
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		status, err = get()
		if err != nil {
			return 0, err
		}
		if err != nil && status >= 500 {
			continue
		}
		return status, nil
	}
	return status, err
}

// Attempt is what a classifier is told of one attempt, as rehttp's
// RetryFn is.
type Attempt struct {
	Index int
	Err   error
}

// Classified retries as rehttp's Transport.RoundTrip does: the error goes
// to a classifier inside a struct literal of the attempt, whose verdict
// (true: try again) decides whether the loop goes on, and it waits the
// delay the classifier gives.
func Classified(path string, retry func(Attempt) (bool, time.Duration)) ([]byte, error) { // want Classified:"waits" Classified:"routed by its own retry at retryloop.go:295"
	for attempt := 0; ; attempt++ {
		b, err := os.ReadFile(path)
		ok, delay := retry(Attempt{Index: attempt, Err: err})
		if !ok {
			return b, err
		}
		time.Sleep(delay)
	}
}

// ClassifiedByPointer gives the classifier the attempt's address.
func ClassifiedByPointer(path string, retry func(*Attempt) bool) error { // want ClassifiedByPointer:"waits" ClassifiedByPointer:"routed by its own retry at retryloop.go:307"
	for {
		err := os.Remove(path)
		if !retry(&Attempt{Err: err}) {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

// hostConn is a connection to one host.
type hostConn struct{ host string }

func dialHost(ctx context.Context, host string) (*hostConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &hostConn{host: host}, nil
}

func (c *hostConn) setup(ctx context.Context) error { return os.Remove(c.host) }

// ConnectAny dials each host once and sets up the connection it dialed
// (gocql's controlConn.attemptReconnectToAnyOfHosts): the connection
// changes with the host, so setting it up is no retry of the same work
// but a failover.
func ConnectAny(ctx context.Context, hosts []string) (*hostConn, error) { // want ConnectAny:"waits"
	var conn *hostConn
	var err error
	for _, host := range hosts {
		conn, err = dialHost(ctx, host)
		if err != nil {
			time.Sleep(time.Millisecond)
			continue
		}
		err = conn.setup(ctx)
		if err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return conn, err
}

// SetupAgain sets up the same connection once per delay: a retry.
func SetupAgain(ctx context.Context, conn *hostConn, delays []time.Duration) error { // want SetupAgain:"waits" SetupAgain:"routed by its own retry at retryloop.go:353"
	var err error
	for _, d := range delays {
		c := conn
		if err = c.setup(ctx); err == nil {
			return nil
		}
		time.Sleep(d)
	}
	return err
}
