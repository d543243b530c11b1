package libs

import (
	"context"
	"os"
	"time"

	rican "github.com/Rican7/retry"
	"github.com/Rican7/retry/strategy"
	retrygo "github.com/avast/retry-go"
	retrygo3 "github.com/avast/retry-go/v3"
	backoff2 "github.com/cenkalti/backoff"
	backoff3 "github.com/cenkalti/backoff/v3"
	"github.com/eapache/go-resiliency/retrier"
	jujuretry "github.com/juju/retry"
	"github.com/matryer/try"
	k8sretry "k8s.io/client-go/util/retry"
)

// Older and other retry libraries: their stand-ins call the work once,
// so only their entry points can route these methods.

func (c *Client) RetryGo(ctx context.Context) error { // want RetryGo:"routed by retry.Do"
	return retrygo.Do(func() error { return os.Remove(c.dir) }, retrygo.Attempts(3))
}

func (c *Client) RetryGo3(ctx context.Context) error { // want RetryGo3:"routed by retry.Do"
	return retrygo3.Do(func() error { return os.Remove(c.dir) })
}

func (c *Client) Backoff2(ctx context.Context) error { // want Backoff2:"routed by backoff.Retry"
	return backoff2.Retry(func() error { return os.Remove(c.dir) }, backoff2.NewExponentialBackOff())
}

func (c *Client) Backoff3(ctx context.Context) error { // want Backoff3:"routed by backoff.RetryNotify"
	return backoff3.RetryNotify(func() error { return os.Remove(c.dir) }, backoff3.NewExponentialBackOff(), nil)
}

func (c *Client) Retrier(ctx context.Context) error { // want Retrier:"routed by retrier.Retrier.RunCtx"
	r := retrier.New(retrier.ExponentialBackoff(3, 10*time.Millisecond), nil)
	return r.RunCtx(ctx, func(ctx context.Context) error { return os.Remove(c.dir) })
}

func (c *Client) RetrierRun(ctx context.Context) error { // want RetrierRun:"routed by retrier.Retrier.Run"
	return retrier.New(nil, nil).Run(func() error { return os.Remove(c.dir) })
}

func (c *Client) Rican(ctx context.Context) error { // want Rican:"routed by retry.Retry"
	return rican.Retry(func(uint) error { return os.Remove(c.dir) }, strategy.Limit(3))
}

func (c *Client) Try(ctx context.Context) error { // want Try:"routed by try.Do"
	return try.Do(func(attempt int) (bool, error) {
		err := os.Remove(c.dir)
		return attempt < 3, err
	})
}

func (c *Client) Conflict(ctx context.Context) error { // want Conflict:"routed by retry.RetryOnConflict"
	return k8sretry.RetryOnConflict(k8sretry.DefaultRetry, func() error { return os.Remove(c.dir) })
}

func (c *Client) OnError(ctx context.Context) error { // want OnError:"routed by retry.OnError"
	return k8sretry.OnError(k8sretry.DefaultRetry, func(error) bool { return true }, func() error { return os.Remove(c.dir) })
}

func (c *Client) Juju(ctx context.Context) error { // want Juju:"routed by retry.Call"
	return jujuretry.Call(jujuretry.CallArgs{Func: func() error { return os.Remove(c.dir) }, Attempts: 3, Stop: ctx.Done()})
}
