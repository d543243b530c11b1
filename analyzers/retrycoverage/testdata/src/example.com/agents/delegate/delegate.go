package delegate

import (
	"context"

	"example.com/helpers"
)

type Cleaner struct{ c helpers.Client }

// Clean delegates to a routed function of another package.
func (c *Cleaner) Clean(ctx context.Context, path string) error { // want Clean:"routed"
	return helpers.Indirect(ctx, path)
}

// Fetch delegates to a routed method of another package.
func (c *Cleaner) Fetch(ctx context.Context) error { // want Fetch:"routed"
	_, err := c.c.Get(ctx)
	return err
}

func (c *Cleaner) Plain(path string) error { // want Plain:"unrouted" `Cleaner.Plain returns an error but is not routed`
	return helpers.Plain(path)
}

// Checked validates through a validator of another package (known through
// its Fact), then delegates: it is routed.
func (c *Cleaner) Checked(ctx context.Context, path string) error { // want Checked:"routed"
	if err := helpers.Validate(path); err != nil {
		return err
	}
	return helpers.Remove(ctx, path)
}

// Stats does work in another package before delegating.
func (c *Cleaner) Stats(ctx context.Context, path string) error { // want Stats:"nests" `Cleaner.Stats returns an error but is not routed through runtime/recovery: the error returned at delegate.go:\d+ comes from work done before the call to routed helpers.Remove at delegate.go:\d+; -fix cannot rewrite it: it mixes work inside a retry \(the call to routed helpers.Remove at`
	if err := helpers.Plain(path); err != nil {
		return err
	}
	return helpers.Remove(ctx, path)
}
