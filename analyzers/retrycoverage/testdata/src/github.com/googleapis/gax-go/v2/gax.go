// Package gax stands in for github.com/googleapis/gax-go/v2, through
// which every generated Google API client (gapic) sends its calls:
// Invoke runs the call in a retry loop driven by the per-method Retryer
// of its CallOptions, and waits between attempts through the sleeper it
// is handed (Sleep), a parameter of a named function type.
package gax

import (
	"context"
	"time"
)

// APICall is one attempt of an API call.
type APICall func(context.Context, CallSettings) error

// CallSettings are the settings of a call.
type CallSettings struct {
	Retry func() Retryer
}

// CallOption configures a call.
type CallOption interface{ Resolve(cs *CallSettings) }

// Retryer decides whether and when to retry after err.
type Retryer interface {
	Retry(err error) (pause time.Duration, shouldRetry bool)
}

type retryerOption func() Retryer

func (o retryerOption) Resolve(s *CallSettings) { s.Retry = o }

// WithRetry sets the Retryer of a call.
func WithRetry(fn func() Retryer) CallOption { return retryerOption(fn) }

// Invoke calls call, retrying it as its options say.
func Invoke(ctx context.Context, call APICall, opts ...CallOption) error { // want Invoke:"waits" Invoke:"routed by its own retry at gax.go:61"
	var settings CallSettings
	for _, opt := range opts {
		opt.Resolve(&settings)
	}
	return invoke(ctx, call, settings, Sleep)
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error { // want Sleep:"waits"
	t := time.NewTimer(d)
	select {
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type sleeper func(ctx context.Context, d time.Duration) error

func invoke(ctx context.Context, call APICall, settings CallSettings, sp sleeper) (err error) { // want invoke:"waits" invoke:"routed by its own retry at gax.go:61"
	var retryer Retryer
	for {
		err = call(ctx, settings)
		if err == nil {
			return nil
		}
		if settings.Retry == nil {
			return err
		}
		if retryer == nil {
			if r := settings.Retry(); r != nil {
				retryer = r
			} else {
				return err
			}
		}
		if d, ok := retryer.Retry(err); !ok {
			return err
		} else if err = sp(ctx, d); err != nil {
			return err
		}
	}
}
