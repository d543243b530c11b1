// Package eventbus is a service's wrapper over a client that retries
// every request with a goto loop (example.com/kclient, as franz-go's kgo
// does): a request made directly, through the shards of RequestSharded
// and through a request type given the client as an interface nests that
// retry, and gets no fix; calls of the client that do not retry keep
// theirs.
package eventbus

import (
	"context"
	"errors"

	"example.com/kclient"
	"example.com/kclient/kmsg"
)

type EventBus struct {
	Client *kclient.Client
}

func (b *EventBus) Direct(ctx context.Context) error { // want Direct:"waits" Direct:"nests" `EventBus.Direct returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls kclient.Client.Request, which already retries part of its work \(through kclient.retryable.Request\), and wrapping it would nest that retry`
	_, err := b.Client.Request(ctx, &kmsg.CreateTopicsRequest{})
	return err
}

func (b *EventBus) Sharded(ctx context.Context) error { // want Sharded:"waits" Sharded:"nests" `EventBus.Sharded returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls kclient.Client.RequestSharded, which already retries part of its work`
	shards := b.Client.RequestSharded(ctx, &kmsg.CreateTopicsRequest{})
	for _, s := range shards {
		if s.Err != nil {
			return s.Err
		}
	}
	return nil
}

func (b *EventBus) CreateTopic(ctx context.Context) error { // want CreateTopic:"nests" `EventBus.CreateTopic returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls kclient.Client.Request \(a method of b.Client, which it passes to kmsg.CreateTopicsRequest.RequestWith\), which already retries part of its work`
	resp, err := (&kmsg.CreateTopicsRequest{Topics: []string{"t"}}).RequestWith(ctx, b.Client)
	if err != nil {
		return err
	}
	if resp.ErrorCode != 0 {
		return errors.New("create topic failed")
	}
	return nil
}

func (b *EventBus) Broker(ctx context.Context) error { // want Broker:"unrouted" `EventBus.Broker returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	_, err := b.Client.Broker(ctx, 1)
	return err
}

func (b *EventBus) Spin(ctx context.Context) error { // want Spin:"unrouted" `EventBus.Spin returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return b.Client.Spin(ctx)
}

func (b *EventBus) Load(ctx context.Context) error { // want Load:"routed by its own retry at kclient.go:146"
	return b.Client.Load(ctx)
}

func (b *EventBus) Get(ctx context.Context) error { // want Get:"waits" Get:"nests" `EventBus.Get returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls kclient.Client.Scan, which already retries part of its work`
	return b.Client.Scan(ctx, &kmsg.CreateTopicsRequest{})
}

// checker is a validator built on the spot: it keeps no error of work.
type checker struct{ max int }

func newChecker() *checker { return &checker{max: 3} }

func (c *checker) Check(n int) error { // want Check:"validator"
	if n > c.max {
		return errors.New("too many")
	}
	return nil
}

// Validate builds a checker and asks it: validation, not work (the
// local-result rule reads only a result that carries an error).
func (b *EventBus) Validate(n int) error { // want Validate:"validator"
	v := newChecker()
	return v.Check(n)
}
